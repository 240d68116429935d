// Reading a SearchResultEntry's attribute list (RFC 4511 §4.5.2) from its bytes.
#include "bridge/ldap/entry_decode.hpp"
#include "tests/support/ber_attribute_list.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace scimldap::ldap::detail {
namespace {

using ber_ptr = std::unique_ptr<BerElement, decltype([](BerElement* b) { ber_free(b, 1); })>;

std::string encoded(const std::vector<attribute>& attributes, int options = LBER_USE_DER) {
    return test::encode_attribute_list(attributes, options);
}

TEST(EntryDecode, ReadsEveryAttributeWithItsValuesInOrder) {
    const std::vector<attribute> sent{{"uid", {"bjensen"}},
                                      {"mail", {"bjensen@example.com", "barbara@example.org"}},
                                      {"entryUUID", {"0b6e3f8c-1111-4a4a-9c9c-0123456789ab"}}};
    const auto got = decode_attribute_list(encoded(sent)).attributes;
    ASSERT_EQ(got.size(), 3u);
    for (std::size_t i = 0; i < sent.size(); ++i) {
        EXPECT_EQ(got[i].name, sent[i].name);
        EXPECT_EQ(got[i].values, sent[i].values);
    }
}

TEST(EntryDecode, AnAttributeWithoutValuesHasAnEmptyList) {
    const auto got = decode_attribute_list(encoded({{"member", {}}, {"cn", {"staff"}}})).attributes;
    ASSERT_EQ(got.size(), 2u);
    EXPECT_TRUE(got[0].values.empty());
    EXPECT_EQ(got[1].values, std::vector<std::string>{"staff"});
}

TEST(EntryDecode, CountedValuesAreCountedAndNoneIsKept) {
    std::vector<std::string> members;
    for (int i = 0; i < 300; ++i) {
        members.push_back("uid=u" + std::to_string(i) + ",ou=People,dc=example,dc=org");
    }
    const auto got = decode_attribute_list(encoded({{"member", members}, {"cn", {"staff"}}}), true);
    ASSERT_TRUE(got.complete);
    ASSERT_EQ(got.attributes.size(), 2u);
    EXPECT_EQ(got.attributes[0].name, "member");
    EXPECT_EQ(got.attributes[0].value_count, 300u);
    EXPECT_TRUE(got.attributes[0].values.empty());
    EXPECT_EQ(got.attributes[1].value_count, 1u);
}

TEST(EntryDecode, CountingStopsAtAMalformedValueLikeReading) {
    std::string list = encoded({{"member", {"uid=a,dc=x", "uid=b,dc=x"}}});
    list.pop_back();  // the last value is cut short
    const auto got = decode_attribute_list(list, true);
    EXPECT_FALSE(got.complete);
}

TEST(EntryDecode, ValuesKeepEmbeddedNulAndEmptyStrings) {
    const std::string binary("a\0b", 3);
    const auto got = decode_attribute_list(encoded({{"jpegPhoto", {binary, ""}}})).attributes;
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].values, (std::vector<std::string>{binary, ""}));
}

TEST(EntryDecode, LongFormLengthsAreRead) {
    // Over 127 bytes needs the long length form; 70,000 needs three length octets.
    const std::string big(70000, 'x');
    const std::vector<attribute> sent{{"description", {std::string(300, 'd')}},
                                      {"jpegPhoto", {big}}};
    const auto got = decode_attribute_list(encoded(sent)).attributes;
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].values, sent[0].values);
    EXPECT_EQ(got[1].values, sent[1].values);
}

TEST(EntryDecode, LiblbersNonMinimalLengthsAreRead) {
    const std::vector<attribute> sent{{"uid", {"bjensen"}}, {"cn", {"Barbara Jensen"}}};
    const std::string bytes = encoded(sent, 0);
    ASSERT_EQ(static_cast<unsigned char>(bytes[1]), 0x84u);  // a four-octet length for 14 bytes
    const auto got = decode_attribute_list(bytes);
    EXPECT_TRUE(got.complete);
    ASSERT_EQ(got.attributes.size(), 2u);
    EXPECT_EQ(got.attributes[1].values, sent[1].values);
}

TEST(EntryDecode, EightLengthOctetsAreReadAndNineAreNot) {
    // {"a" ["b"]} with its SEQUENCE length in 8 octets (0x88), then in 9 (0x89).
    const std::string eight("\x30\x88\0\0\0\0\0\0\0\x08\x04\x01\x61\x31\x03\x04\x01\x62", 18);
    const auto got = decode_attribute_list(eight);
    EXPECT_TRUE(got.complete);
    ASSERT_EQ(got.attributes.size(), 1u);
    EXPECT_EQ(got.attributes[0].values, std::vector<std::string>{"b"});
    const std::string nine("\x30\x89\0\0\0\0\0\0\0\0\x08\x04\x01\x61\x31\x03\x04\x01\x62", 19);
    EXPECT_FALSE(decode_attribute_list(nine).complete);
}

TEST(EntryDecode, TheIndefiniteLengthIsMalformed) {
    const std::string bytes("\x30\x80\x04\x01\x61\x31\x03\x04\x01\x62\0\0", 12);
    const auto got = decode_attribute_list(bytes);
    EXPECT_FALSE(got.complete);
    EXPECT_TRUE(got.attributes.empty());
}

TEST(EntryDecode, ALengthBeyondTheInputIsMalformed) {
    const std::string bytes("\x30\x84\x7f\xff\xff\xff\x04\x01\x61", 9);
    EXPECT_FALSE(decode_attribute_list(bytes).complete);
}

TEST(EntryDecode, AnEmptyListIsCompleteWithNoAttributes) {
    const auto got = decode_attribute_list("");
    EXPECT_TRUE(got.complete);
    EXPECT_TRUE(got.attributes.empty());
}

TEST(EntryDecode, ATruncatedAttributeEndsTheListAfterTheWholeOnes) {
    const std::string bytes = encoded({{"uid", {"bjensen"}}, {"cn", {"Barbara Jensen"}}});
    for (std::size_t cut = 1; cut < 13; ++cut) {
        const auto got =
            decode_attribute_list(std::string_view(bytes).substr(0, bytes.size() - cut));
        EXPECT_FALSE(got.complete) << "cut " << cut;
        ASSERT_EQ(got.attributes.size(), 1u) << "cut " << cut;
        EXPECT_EQ(got.attributes[0].name, "uid");
    }
}

TEST(EntryDecode, AgreesWithLiblberOnRandomListsAndTheirCorruptions) {
    // What libldap's loop (ber_scanf per attribute) reads, and whether it read all of it.
    const auto liblber = [](const std::string& bytes) {
        decoded_attributes out;
        berval view{static_cast<ber_len_t>(bytes.size()), const_cast<char*>(bytes.data())};
        const ber_ptr ber(ber_init(&view));
        ber_len_t left = 0;
        while (ber_get_option(ber.get(), LBER_OPT_REMAINING_BYTES, &left) == LBER_OPT_SUCCESS &&
               left > 0) {
            berval type{};
            BerVarray values = nullptr;
            if (ber_scanf(ber.get(), "{oW}", &type, &values) == LBER_ERROR) {
                out.complete = false;
                break;
            }
            attribute a{copy_berval(type), {}};
            for (auto* v = values; v != nullptr && v->bv_val != nullptr; ++v) {
                a.values.push_back(copy_berval(*v));
            }
            ber_memfree(type.bv_val);
            ber_bvarray_free(values);
            out.attributes.push_back(std::move(a));
        }
        return out;
    };
    std::mt19937 random(20261206);
    const auto text = [&](std::size_t max) {
        std::string s(random() % (max + 1), '\0');
        for (auto& c : s) {
            c = static_cast<char>(random());
        }
        return s;
    };
    int both_whole = 0;
    for (int round = 0; round < 2000; ++round) {
        std::vector<attribute> sent(random() % 5);
        for (auto& a : sent) {
            a.name = "a" + std::to_string(random());  // "s" in ber_printf: no NUL in a name
            a.values.resize(random() % 4);
            for (auto& v : a.values) {
                v = text(round % 10 == 0 ? 400 : 40);
            }
        }
        std::string bytes = encoded(sent, round % 2 == 0 ? LBER_USE_DER : 0);
        const auto whole = decode_attribute_list(bytes);
        ASSERT_TRUE(whole.complete);
        ASSERT_EQ(whole.attributes.size(), sent.size());
        for (std::size_t i = 0; i < sent.size(); ++i) {
            ASSERT_EQ(whole.attributes[i].name, sent[i].name);
            ASSERT_EQ(whole.attributes[i].values, sent[i].values);
        }
        if (bytes.empty()) {
            continue;
        }
        // One byte changed. What this reads as a whole list, liblber reads the same way
        // (liblber also goes on past an element whose contents did not add up; this stops).
        bytes[random() % bytes.size()] = static_cast<char>(random());
        const auto ours = decode_attribute_list(bytes);
        if (ours.complete) {
            ++both_whole;
            const auto theirs = liblber(bytes);
            std::string hex;
            for (unsigned char c : bytes) {
                hex += "0123456789abcdef"[c >> 4];
                hex += "0123456789abcdef"[c & 15];
                hex += ' ';
            }
            ASSERT_TRUE(theirs.complete)
                << "round " << round << ": " << hex << " liblber read " << theirs.attributes.size()
                << ", we read " << ours.attributes.size();
            ASSERT_EQ(ours.attributes.size(), theirs.attributes.size()) << "round " << round;
            for (std::size_t i = 0; i < ours.attributes.size(); ++i) {
                ASSERT_EQ(ours.attributes[i].name, theirs.attributes[i].name);
                ASSERT_EQ(ours.attributes[i].values, theirs.attributes[i].values);
            }
        }
    }
    EXPECT_GT(both_whole, 500);  // most corruptions hit a value byte: compared, not skipped
}

}  // namespace
}  // namespace scimldap::ldap::detail
