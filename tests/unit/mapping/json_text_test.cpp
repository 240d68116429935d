// append_json_string: directory values written straight into SCIM JSON text (RFC 8259 §7).
#include "mapping/json_text.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <string>

namespace scimldap::mapping {
namespace {

std::string json_string(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

TEST(JsonText, PlainTextIsQuoted) {
    EXPECT_EQ(json_string("Barbara Jensen"), "\"Barbara Jensen\"");
}

TEST(JsonText, QuoteAndBackslashAreEscaped) {
    EXPECT_EQ(json_string(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
}

TEST(JsonText, ControlCharactersAreEscaped) {
    EXPECT_EQ(json_string("a\nb\tc\rd\be\ff"), R"("a\nb\tc\rd\be\ff")");
    EXPECT_EQ(json_string(std::string("x\x01y\x1fz", 5)), R"("x\u0001y\u001fz")");
    EXPECT_EQ(json_string(std::string("\0", 1)), R"("\u0000")");
}

TEST(JsonText, Utf8PassesThrough) {
    EXPECT_EQ(json_string("Zoë Ångström"), "\"Zoë Ångström\"");
}

TEST(JsonText, AppendsToWhatIsThere) {
    std::string out = "{\"k\":";
    append_json_string(out, "v");
    EXPECT_EQ(out, "{\"k\":\"v\"");
}

TEST(JsonText, EveryByteRoundTripsThroughAJsonParser) {
    std::string all;
    for (int c = 1; c < 0x80; ++c) {
        all += static_cast<char>(c);
    }
    const auto parsed = boost::json::parse(json_string(all));
    EXPECT_EQ(parsed.as_string(), all);
}

TEST(JsonText, ASpecialCharacterIsFoundAtEveryPositionOfALongValue) {
    for (const char special : {'"', '\\', '\n', '\x01', '\x1f'}) {
        for (std::size_t at = 0; at < 24; ++at) {
            std::string value(24, 'a');
            value[at] = special;
            value += "\xc3\xa9\x7f ";  // bytes at and above 0x7f never need escaping
            const auto parsed = boost::json::parse(json_string(value));
            EXPECT_EQ(parsed.as_string(), value) << "special " << int(special) << " at " << at;
        }
    }
}

}  // namespace
}  // namespace scimldap::mapping
