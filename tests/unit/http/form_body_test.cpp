#include "bridge/auth/form_body.hpp"
#include "bridge/auth/basic_credentials.hpp"
#include "mapping/base64.hpp"

#include <gtest/gtest.h>

namespace scimldap::auth {
namespace {

TEST(FormBody, FieldsAreDecoded) {
    const auto form = parse_form_body("grant_type=client_credentials&scope=a+b%20c&x=%2F%3d");
    ASSERT_TRUE(form) << form.error().message;
    EXPECT_EQ(form->at("grant_type"), "client_credentials");
    EXPECT_EQ(form->at("scope"), "a b c");
    EXPECT_EQ(form->at("x"), "/=");
}

TEST(FormBody, EmptyValuesCountAsOmitted) {
    // RFC 6749 §3.2: "Parameters sent without a value MUST be treated as if they were omitted".
    const auto form = parse_form_body("grant_type=client_credentials&scope=&flag&&");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->size(), 1u);
    EXPECT_EQ(form->count("scope"), 0u);
}

TEST(FormBody, EmptyBodyHasNoFields) {
    const auto form = parse_form_body("");
    ASSERT_TRUE(form);
    EXPECT_TRUE(form->empty());
}

TEST(FormBody, RepeatedParameterIsRefused) {
    const auto form = parse_form_body("grant_type=client_credentials&grant_type=password");
    ASSERT_FALSE(form);
    EXPECT_NE(form.error().message.find("\"grant_type\" is given more than once"),
              std::string::npos);
    // Also when one of them is empty, and when the name is spelled with an escape.
    EXPECT_FALSE(parse_form_body("scope=&scope=a"));
    EXPECT_FALSE(parse_form_body("client_id=a&client%5Fid=b"));
}

TEST(FormBody, BrokenEscapeIsRefused) {
    for (const char* body : {"a=%", "a=%4", "a=%zz", "%=1", "a=b%2"}) {
        EXPECT_FALSE(parse_form_body(body)) << body;
    }
}

TEST(FormDecode, PlusIsASpaceAndEscapesAreBytes) {
    EXPECT_EQ(form_decode("a+b%2Bc%3a"), "a b+c:");
    EXPECT_EQ(form_decode("%00"), std::string(1, '\0'));
    EXPECT_FALSE(form_decode("%G0"));
}

std::string basic(std::string_view user_pass) {
    return "Basic " + mapping::base64_encode(user_pass);
}

TEST(BasicCredentials, IdAndSecretAreSplitAtTheFirstColon) {
    const auto c = parse_basic_credentials(basic("client-1:s3cr:et"));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->client_id, "client-1");
    EXPECT_EQ(c->client_secret, "s3cr:et");
}

TEST(BasicCredentials, BothPartsAreFormDecoded) {
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before base64.
    const auto c = parse_basic_credentials(basic("my%3Aclient:a+b%25"));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->client_id, "my:client");
    EXPECT_EQ(c->client_secret, "a b%");
}

TEST(BasicCredentials, SchemeIsCaseInsensitive) {
    EXPECT_TRUE(parse_basic_credentials("basic " + mapping::base64_encode("a:b")));
    EXPECT_TRUE(is_basic_authorization("BASIC x"));
    EXPECT_FALSE(is_basic_authorization("Bearer x"));
    EXPECT_FALSE(is_basic_authorization("Basically x"));
}

TEST(BasicCredentials, MalformedCredentialsAreRefused) {
    for (const std::string& header :
         {std::string("Basic"), std::string("Basic "), std::string("Basic !!!!"), basic("no-colon"),
          basic(":secret-without-id"), basic("a%zz:b"),
          "Bearer " + mapping::base64_encode("a:b")}) {
        EXPECT_FALSE(parse_basic_credentials(header)) << header;
    }
}

TEST(BasicCredentials, EmptySecretIsKeptForTheClientCheckToRefuse) {
    const auto c = parse_basic_credentials(basic("client-1:"));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->client_secret, "");
}

}  // namespace
}  // namespace scimldap::auth
