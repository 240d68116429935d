// BER encoders and decoders of the LDAP controls and extended-operation values (pure code).
#include "bridge/ldap/controls.hpp"

#include <gtest/gtest.h>
#include <ldap.h>

namespace {

namespace ldap = scimldap::ldap;
namespace controls = scimldap::ldap::controls;

/// One DER TLV (short or one-byte long form: enough for these tests).
std::string tlv(unsigned char tag, const std::string& content) {
    std::string out(1, static_cast<char>(tag));
    if (content.size() < 128) {
        out += static_cast<char>(content.size());
    } else {
        out += static_cast<char>(0x81);
        out += static_cast<char>(content.size());
    }
    return out + content;
}
std::string octets(const std::string& s) {
    return tlv(0x04, s);
}
std::string integer(unsigned char v) {
    return tlv(0x02, std::string(1, static_cast<char>(v)));
}
std::string enumerated(unsigned char v) {
    return tlv(0x0a, std::string(1, static_cast<char>(v)));
}
std::string sequence(const std::string& s) {
    return tlv(0x30, s);
}

ldap::control response(std::string_view oid, std::string value) {
    return ldap::control{std::string(oid), std::move(value), false};
}

TEST(LdapControls, AssertionEncodesTheFilterAsAnEqualityMatch) {
    auto c = controls::assertion(ldap::filter("(entryCSN=abc)"));
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->oid, "1.3.6.1.1.12");
    EXPECT_TRUE(c->critical);
    EXPECT_EQ(c->value, tlv(0xa3, octets("entryCSN") + octets("abc")));
}

TEST(LdapControls, AssertionWithABrokenFilterIsAFilterError) {
    auto c = controls::assertion(ldap::filter("(entryCSN=abc"));
    ASSERT_FALSE(c.has_value());
    EXPECT_EQ(c.error().result_code(), LDAP_FILTER_ERROR);
}

TEST(LdapControls, PostReadValueIsTheSequenceOfAttributeNames) {
    auto c = controls::post_read({"cn", "entryUUID"});
    EXPECT_EQ(c.oid, "1.3.6.1.1.13.2");
    EXPECT_EQ(c.value, sequence(octets("cn") + octets("entryUUID")));
}

TEST(LdapControls, PagedResultsRequestCarriesSizeAndCookie) {
    auto c = controls::paged_results(10, "ck");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->value, sequence(integer(10) + octets("ck")));
}

TEST(LdapControls, PagedResultsResponseGivesEstimateAndCookie) {
    auto parsed = controls::parse_paged_results(
        {response(ldap::oids::paged_results, sequence(integer(42) + octets("next")))});
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->estimate, 42);
    EXPECT_EQ(parsed->cookie, "next");
}

TEST(LdapControls, PagedResultsResponseMissingIsControlNotFound) {
    auto parsed = controls::parse_paged_results({});
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().result_code(), LDAP_CONTROL_NOT_FOUND);
}

TEST(LdapControls, ServerSortEncodesKeysWithReverseFlag) {
    auto c = controls::server_sort({{"uid", "", true}});
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->oid, "1.2.840.113556.1.4.473");
    // RFC 2891: SortKeyList ::= SEQUENCE OF SEQUENCE { attributeType, [1] reverseOrder }
    EXPECT_EQ(c->value, sequence(sequence(octets("uid") + tlv(0x81, std::string(1, '\xff')))));
}

TEST(LdapControls, ServerSortWithoutKeysIsRefused) {
    EXPECT_FALSE(controls::server_sort({}).has_value());
}

TEST(LdapControls, ServerSortResponseGivesTheResultCode) {
    auto parsed = controls::parse_server_sort(
        {response(ldap::oids::sort_response, sequence(enumerated(LDAP_UNWILLING_TO_PERFORM)))});
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->result_code, LDAP_UNWILLING_TO_PERFORM);
    EXPECT_EQ(parsed->attribute, "");
}

TEST(LdapControls, VlvRequestByOffset) {
    controls::vlv_request r;
    r.before_count = 1;
    r.after_count = 9;
    r.offset = 21;
    r.content_count = 0;
    auto c = controls::vlv(r);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->value, sequence(integer(1) + integer(9) + tlv(0xa0, integer(21) + integer(0))));
}

TEST(LdapControls, VlvResponseGivesPositionCountAndContext) {
    std::string value = sequence(integer(5) + tlv(0x02, std::string("\x01\xf4", 2)) +
                                 enumerated(0) + octets("ctx"));
    auto parsed = controls::parse_vlv({response(ldap::oids::vlv_response, value)});
    ASSERT_TRUE(parsed.has_value()) << parsed.error().diagnostic;
    EXPECT_EQ(parsed->target_position, 5);
    EXPECT_EQ(parsed->content_count, 500);
    EXPECT_EQ(parsed->result_code, 0);
    EXPECT_EQ(parsed->context_id, "ctx");
}

TEST(LdapControls, DerefRequestNamesTheAttributeAndWhatToReturn) {
    auto c = controls::deref({{"member", {"uid", "cn"}}});
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->value,
              sequence(sequence(octets("member") + sequence(octets("uid") + octets("cn")))));
}

TEST(LdapControls, DerefResponseGivesEachTargetWithItsAttributes) {
    auto attr = [](const std::string& type, const std::string& value) {
        return sequence(octets(type) + tlv(0x31, octets(value)));
    };
    std::string value =
        sequence(sequence(octets("member") + octets("uid=a,dc=x") + tlv(0xa0, attr("uid", "a"))) +
                 sequence(octets("member") + octets("uid=b,dc=x") + tlv(0xa0, attr("uid", "b"))));
    auto parsed = controls::parse_deref({response(ldap::oids::deref, value)});
    ASSERT_TRUE(parsed.has_value()) << parsed.error().diagnostic;
    ASSERT_EQ(parsed->size(), 2u);
    EXPECT_EQ((*parsed)[0].deref_attribute, "member");
    EXPECT_EQ((*parsed)[0].name.str(), "uid=a,dc=x");
    ASSERT_EQ((*parsed)[0].attributes.size(), 1u);
    EXPECT_EQ((*parsed)[0].attributes[0].name, "uid");
    EXPECT_EQ((*parsed)[0].attributes[0].values, std::vector<std::string>{"a"});
    EXPECT_EQ((*parsed)[1].name.str(), "uid=b,dc=x");
}

TEST(LdapControls, ReadEntryResponseIsDecodedIntoAnEntry) {
    std::string value =
        tlv(0x64, octets("uid=a,dc=x") +
                      sequence(sequence(octets("cn") + tlv(0x31, octets("A") + octets("Alias"))) +
                               sequence(octets("uid") + tlv(0x31, octets("a")))));
    auto parsed = controls::parse_read_entry({response(ldap::oids::post_read, value)});
    ASSERT_TRUE(parsed.has_value()) << parsed.error().diagnostic;
    EXPECT_EQ(parsed->name.str(), "uid=a,dc=x");
    ASSERT_NE(parsed->find("CN"), nullptr);
    EXPECT_EQ(*parsed->find("cn"), (std::vector<std::string>{"A", "Alias"}));
    EXPECT_EQ(parsed->first("uid"), "a");
}

TEST(LdapControls, ReadEntryResponseThatIsNotBerIsADecodingError) {
    auto parsed = controls::parse_read_entry({response(ldap::oids::post_read, "garbage")});
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().result_code(), LDAP_DECODING_ERROR);
}

TEST(LdapControls, PermissiveModifyHasNoValue) {
    auto c = controls::permissive_modify();
    EXPECT_EQ(c.oid, "1.2.840.113556.1.4.1413");
    EXPECT_FALSE(c.value.has_value());
}

TEST(LdapControls, TxnSpecCarriesTheIdentifierAsIsAndIsCritical) {
    auto c = controls::txn_spec("id-1");
    EXPECT_EQ(c.oid, "1.3.6.1.1.21.2");
    EXPECT_EQ(c.value, "id-1");
    EXPECT_TRUE(c.critical);
}

TEST(LdapExtendedValues, PasswordModifyRequestHasOnlyTheGivenFields) {
    auto v =
        ldap::extended_values::password_modify(ldap::dn("uid=a"), std::nullopt, std::string("pw"));
    EXPECT_EQ(v, sequence(tlv(0x80, "uid=a") + tlv(0x82, "pw")));
}

TEST(LdapExtendedValues, PasswordModifyResponseGivesTheGeneratedPassword) {
    auto parsed = ldap::extended_values::parse_password_modify(sequence(tlv(0x80, "gen")));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, "gen");
    auto none = ldap::extended_values::parse_password_modify(std::nullopt);
    ASSERT_TRUE(none.has_value());
    EXPECT_FALSE(none->has_value());
}

TEST(LdapExtendedValues, TxnEndCommitLeavesTheDefaultOut) {
    EXPECT_EQ(ldap::extended_values::txn_end("id", true), sequence(octets("id")));
    EXPECT_EQ(ldap::extended_values::txn_end("id", false),
              sequence(tlv(0x01, std::string(1, '\0')) + octets("id")));
}

TEST(LdapError, TransientCodesAreTheOnesARetryCanFix) {
    auto transient = [](int code) {
        return ldap::op_error{ldap::make_error(code), "", ""}.is_transient();
    };
    EXPECT_TRUE(transient(LDAP_BUSY));
    EXPECT_TRUE(transient(LDAP_UNAVAILABLE));
    EXPECT_TRUE(transient(LDAP_SERVER_DOWN));
    EXPECT_TRUE(transient(LDAP_CONNECT_ERROR));
    EXPECT_TRUE(transient(LDAP_TIMEOUT));
    EXPECT_FALSE(transient(LDAP_UNWILLING_TO_PERFORM));
    EXPECT_FALSE(transient(LDAP_NO_SUCH_OBJECT));
    EXPECT_FALSE(transient(LDAP_ALREADY_EXISTS));
    EXPECT_EQ(ldap::make_error(LDAP_NO_SUCH_OBJECT).message(), "No such object");
}

TEST(LdapEntry, AttributeLookupIgnoresCase) {
    ldap::entry e{ldap::dn("uid=a"), {{"entryUUID", {"u-1"}}, {"cn", {}}}, {}};
    ASSERT_NE(e.find("ENTRYuuid"), nullptr);
    EXPECT_EQ(e.first("entryuuid"), "u-1");
    EXPECT_EQ(e.first("cn"), std::nullopt);
    EXPECT_EQ(e.find("mail"), nullptr);
}

}  // namespace
