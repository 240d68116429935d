// Reading a SearchResultEntry's attribute list (RFC 4511 §4.5.2) from its bytes.
#include "bridge/ldap/entry_decode.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace scimldap::ldap::detail {
namespace {

/// The contents of a PartialAttributeList, encoded by liblber: `{type [values]}` per attribute.
std::string encoded(const std::vector<attribute>& attributes) {
    const std::unique_ptr<BerElement, decltype([](BerElement* b) { ber_free(b, 1); })> ber(
        ber_alloc_t(LBER_USE_DER));
    for (const auto& a : attributes) {
        ber_printf(ber.get(), "{s[", a.name.c_str());
        for (const auto& v : a.values) {
            ber_printf(ber.get(), "o", v.data(), static_cast<ber_len_t>(v.size()));
        }
        ber_printf(ber.get(), "]}");
    }
    berval* flat = nullptr;
    ber_flatten(ber.get(), &flat);
    std::string out(flat->bv_val, flat->bv_len);
    ber_bvfree(flat);
    return out;
}

TEST(EntryDecode, ReadsEveryAttributeWithItsValuesInOrder) {
    const std::vector<attribute> sent{{"uid", {"bjensen"}},
                                      {"mail", {"bjensen@example.com", "barbara@example.org"}},
                                      {"entryUUID", {"0b6e3f8c-1111-4a4a-9c9c-0123456789ab"}}};
    const auto got = decode_attribute_list(encoded(sent));
    ASSERT_EQ(got.size(), 3u);
    for (std::size_t i = 0; i < sent.size(); ++i) {
        EXPECT_EQ(got[i].name, sent[i].name);
        EXPECT_EQ(got[i].values, sent[i].values);
    }
}

TEST(EntryDecode, AnAttributeWithoutValuesHasAnEmptyList) {
    const auto got = decode_attribute_list(encoded({{"member", {}}, {"cn", {"staff"}}}));
    ASSERT_EQ(got.size(), 2u);
    EXPECT_TRUE(got[0].values.empty());
    EXPECT_EQ(got[1].values, std::vector<std::string>{"staff"});
}

TEST(EntryDecode, ValuesKeepEmbeddedNulAndEmptyStrings) {
    const std::string binary("a\0b", 3);
    const auto got = decode_attribute_list(encoded({{"jpegPhoto", {binary, ""}}}));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].values, (std::vector<std::string>{binary, ""}));
}

TEST(EntryDecode, LongFormLengthsAreRead) {
    // Over 127 bytes needs the long length form; 70,000 needs three length octets.
    const std::string big(70000, 'x');
    const std::vector<attribute> sent{{"description", {std::string(300, 'd')}},
                                      {"jpegPhoto", {big}}};
    const auto got = decode_attribute_list(encoded(sent));
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].values, sent[0].values);
    EXPECT_EQ(got[1].values, sent[1].values);
}

TEST(EntryDecode, AnEmptyListHasNoAttributes) {
    EXPECT_TRUE(decode_attribute_list("").empty());
}

TEST(EntryDecode, ATruncatedAttributeEndsTheListAfterTheWholeOnes) {
    const std::string bytes = encoded({{"uid", {"bjensen"}}, {"cn", {"Barbara Jensen"}}});
    for (std::size_t cut = 1; cut < 13; ++cut) {
        const auto got =
            decode_attribute_list(std::string_view(bytes).substr(0, bytes.size() - cut));
        ASSERT_EQ(got.size(), 1u) << "cut " << cut;
        EXPECT_EQ(got[0].name, "uid");
    }
}

TEST(EntryDecode, AnElementOfTheWrongTypeEndsTheList) {
    std::string bytes = encoded({{"uid", {"bjensen"}}});
    bytes += std::string("\x02\x01\x05", 3);  // an INTEGER where a PartialAttribute belongs
    const auto got = decode_attribute_list(bytes);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].values, std::vector<std::string>{"bjensen"});
}

}  // namespace
}  // namespace scimldap::ldap::detail
