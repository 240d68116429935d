// The IdP setup guides (docs/idp/*.md) are tested, not only read: every ```http block of a guide
// is one request, sent in order to a fresh slapd (seeded like the demo: ldif/sample.ldif) and a
// real bridge, with the guide's tenant token; its "# expect NNN" line must be the answer's status
// and its "# ldap: ..." lines must hold in the directory afterwards. The block convention is in
// docs/idp/README.md. A guide without blocks, a block without an expectation, an unknown
// directive or placeholder, a curl line outside a block, or a guide on disk that no test runs
// fails here, so a guide cannot show a request the tests do not send.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/beast/http/verb.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;
namespace fs = std::filesystem;

/// One ```http block: a request, its expected status and what to check afterwards.
struct guide_step {
    std::string where;  // "okta.md:123", for messages
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    unsigned expect = 0;
    std::string save;                 // "# save NAME": the answer's id is {{id:NAME}} later
    std::vector<std::string> checks;  // "# ldap: ..." lines, without the prefix
};

/// A guide's blocks in order, or the reason it cannot be run.
struct parsed_guide {
    std::vector<guide_step> steps;
    std::vector<std::string> errors;
};

fs::path guides_dir() {
    return fs::path(SCIMLDAP_SOURCE_DIR) / "docs" / "idp";
}

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

std::string lower(std::string s) {
    for (char& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

/// Reads one block's lines (between the fences) into a step; false with errors when malformed.
bool parse_block(const std::vector<std::string>& lines, guide_step& step,
                 std::vector<std::string>& errors) {
    std::vector<std::string> request;
    bool expected = false;
    for (const std::string& line : lines) {
        if (!starts_with(line, "#")) {
            request.push_back(line);
            continue;
        }
        const std::string d = trim(line.substr(1));
        if (starts_with(d, "expect ")) {
            const std::string code = trim(d.substr(7));
            if (expected || code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) {
                    return c >= '0' && c <= '9';
                })) {
                errors.push_back(
                    std::string(step.where).append(": one \"# expect NNN\" per block"));
                return false;
            }
            step.expect = static_cast<unsigned>(std::stoul(code));
            expected = true;
        } else if (starts_with(d, "save ")) {
            step.save = trim(d.substr(5));
        } else if (starts_with(d, "ldap: ")) {
            step.checks.push_back(trim(d.substr(6)));
        } else {
            errors.push_back(std::string(step.where).append(": unknown directive: ").append(line));
            return false;
        }
    }
    if (!expected) {
        errors.push_back(std::string(step.where).append(": no \"# expect NNN\" line"));
        return false;
    }
    while (!request.empty() && trim(request.front()).empty()) {
        request.erase(request.begin());
    }
    if (request.empty()) {
        errors.push_back(std::string(step.where).append(": no request line"));
        return false;
    }
    std::istringstream first(request.front());
    std::string version;
    first >> step.method >> step.target >> version;
    if (step.method.empty() || step.target.empty() || version != "HTTP/1.1") {
        errors.push_back(std::string(step.where)
                             .append(": the first line must be \"METHOD TARGET HTTP/1.1\": ")
                             .append(request.front()));
        return false;
    }
    std::size_t i = 1;
    for (; i < request.size() && !trim(request[i]).empty(); ++i) {
        const auto colon = request[i].find(':');
        if (colon == std::string::npos) {
            errors.push_back(std::string(step.where).append(": not a header: ").append(request[i]));
            return false;
        }
        step.headers.emplace_back(trim(request[i].substr(0, colon)),
                                  trim(request[i].substr(colon + 1)));
    }
    for (; i < request.size(); ++i) {
        step.body.append(request[i]).append("\n");
    }
    step.body = trim(step.body);
    return true;
}

parsed_guide parse_guide(const fs::path& file) {
    parsed_guide guide;
    std::ifstream in(file);
    if (!in) {
        guide.errors.push_back(file.string().append(": cannot be read"));
        return guide;
    }
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    const std::string name = file.filename().string();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string fence = trim(lines[i]);
        if (!starts_with(fence, "```")) {
            continue;
        }
        // A fence of N backticks ends at a line of the same N (```` may quote a ``` block).
        const std::string ticks = fence.substr(0, fence.find_first_not_of('`'));
        const std::string language = fence.substr(ticks.size());
        std::vector<std::string> block;
        std::size_t end = i + 1;
        for (; end < lines.size() && trim(lines[end]) != ticks; ++end) {
            block.push_back(lines[end]);
        }
        if (language == "http") {
            guide_step step;
            step.where = name + ":" + std::to_string(i + 1);
            if (parse_block(block, step, guide.errors)) {
                guide.steps.push_back(std::move(step));
            }
        } else {
            // Requests are shown as ```http blocks only; a curl line elsewhere is untested.
            for (const std::string& line : block) {
                if (starts_with(trim(line), "curl ")) {
                    guide.errors.push_back(name + ":" + std::to_string(i + 1) +
                                           ": a request outside an ```http block: " + line);
                }
            }
        }
        i = end;
    }
    if (guide.steps.empty() && guide.errors.empty()) {
        guide.errors.push_back(name + ": no ```http request blocks (nothing would be tested)");
    }
    return guide;
}

/// The guide's text with {{token}} and {{id:NAME}} replaced; nullopt (and a failure) when a
/// placeholder is unknown.
std::optional<std::string> substitute(const std::string& text, const std::string& token,
                                      const std::map<std::string, std::string>& ids,
                                      const std::string& where) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
        const auto open = text.find("{{", pos);
        if (open == std::string::npos) {
            out.append(text, pos, std::string::npos);
            return out;
        }
        const auto close = text.find("}}", open);
        if (close == std::string::npos) {
            ADD_FAILURE() << where << ": \"{{\" without \"}}\"";
            return std::nullopt;
        }
        out.append(text, pos, open - pos);
        const std::string key = text.substr(open + 2, close - open - 2);
        if (key == "token") {
            out.append(token);
        } else if (starts_with(key, "id:") && ids.count(key.substr(3)) != 0) {
            out.append(ids.at(key.substr(3)));
        } else {
            ADD_FAILURE() << where << ": unknown placeholder {{" << key
                          << "}} (an id must be saved by an earlier block)";
            return std::nullopt;
        }
        pos = close + 2;
    }
}

/// The answer's "id", or the first Resources[].id of a ListResponse.
std::optional<std::string> answered_id(const http_reply& r) {
    json::error_code ec;
    const json::value v = json::parse(r.body, ec);
    if (ec || !v.is_object()) {
        return std::nullopt;
    }
    const json::object& o = v.as_object();
    if (const auto* id = o.if_contains("id"); id && id->is_string()) {
        return std::string(id->as_string());
    }
    if (const auto* list = o.if_contains("Resources");
        list && list->is_array() && !list->as_array().empty()) {
        if (const auto* id = list->as_array().front().as_object().if_contains("id");
            id && id->is_string()) {
            return std::string(id->as_string());
        }
    }
    return std::nullopt;
}

/// One "# ldap:" line: "<DN> exists", "<DN> absent", "<DN> has ATTR[=VALUE]",
/// "<DN> lacks ATTR[=VALUE]", "<DN> can-bind PASSWORD", "<DN> cannot-bind PASSWORD".
/// "" when it holds, else what the directory shows instead.
std::string directory_mismatch(const slapd_launcher& slapd, const std::string& check) {
    ldap_admin admin(slapd);
    for (const char* state : {" exists", " absent"}) {
        const std::string s(state);
        if (check.size() > s.size() && check.compare(check.size() - s.size(), s.size(), s) == 0) {
            const std::string dn = check.substr(0, check.size() - s.size());
            const bool present = admin.read(dn, {"1.1"}).has_value();
            return present == (s == " exists") ? "" : (present ? "the entry exists" : "no entry");
        }
    }
    std::size_t at = std::string::npos;
    std::string verb;
    for (const char* v : {" has ", " lacks ", " can-bind ", " cannot-bind "}) {
        const auto p = check.find(v);
        if (p != std::string::npos && p < at) {
            at = p;
            verb = v;
        }
    }
    if (at == std::string::npos) {
        return "the line says neither exists, absent, has, lacks, can-bind nor cannot-bind";
    }
    const std::string dn = check.substr(0, at);
    const std::string arg = trim(check.substr(at + verb.size()));
    if (verb == " can-bind " || verb == " cannot-bind ") {
        const bool bound = admin.can_bind(dn, arg);
        return bound == (verb == " can-bind ") ? ""
                                               : (bound ? "the bind succeeds" : "the bind fails");
    }
    const auto entry = admin.read(dn);
    if (!entry) {
        return "no entry";
    }
    const auto eq = arg.find('=');
    const std::string attribute = arg.substr(0, eq);
    const auto values = attribute_values(*entry, attribute);
    bool found = !values.empty();
    if (eq != std::string::npos) {
        const std::string wanted = lower(arg.substr(eq + 1));
        found = std::any_of(values.begin(), values.end(),
                            [&](const std::string& v) { return lower(v) == wanted; });
    }
    if (found == (verb == " has ")) {
        return "";
    }
    std::string seen = attribute;
    seen.append(" is");
    for (const auto& v : values) {
        seen.append(" [").append(v).append("]");
    }
    return values.empty() ? seen.append(" absent") : seen;
}

/// A fresh directory seeded like the demo and a bridge for each guide: guides are independent.
class IdpGuides : public ::testing::Test {
protected:
    static slapd_options demo_data() {
        slapd_options o;
        o.seed_sample = true;
        return o;
    }

    void run_guide(const std::string& file, const std::string& token) {
        const parsed_guide guide = parse_guide(guides_dir() / file);
        for (const auto& e : guide.errors) {
            ADD_FAILURE() << e;
        }
        ASSERT_TRUE(guide.errors.empty());
        ASSERT_FALSE(guide.steps.empty());

        slapd_launcher slapd(demo_data());
        slapd.start();
        bridge_fixture bridge(slapd);
        bridge.start();

        std::map<std::string, std::string> ids;
        for (const guide_step& step : guide.steps) {
            SCOPED_TRACE(step.where);
            const auto target = substitute(step.target, token, ids, step.where);
            const auto body = substitute(step.body, token, ids, step.where);
            ASSERT_TRUE(target && body);
            std::map<std::string, std::string> headers;
            for (const auto& [name, value] : step.headers) {
                const auto v = substitute(value, token, ids, step.where);
                ASSERT_TRUE(v);
                headers[name] = *v;
            }
            const bhttp::verb method = bhttp::string_to_verb(step.method);
            ASSERT_NE(method, bhttp::verb::unknown) << step.where << ": " << step.method;
            const http_reply r = http_request(bridge.port(), method, *target, headers, *body);
            ASSERT_EQ(r.status, step.expect)
                << step.where << ": " << step.method << " " << *target << "\n"
                << r.body;
            if (!step.save.empty()) {
                const auto id = answered_id(r);
                ASSERT_TRUE(id) << step.where << ": \"# save " << step.save
                                << "\" but the answer has no id: " << r.body;
                ids[step.save] = *id;
            }
            for (const std::string& check : step.checks) {
                const auto c = substitute(check, token, ids, step.where);
                ASSERT_TRUE(c);
                // slapd's overlays may finish after the answer (refint runs in the background):
                // what a guide says the directory holds must hold within a few seconds.
                std::string mismatch;
                eventually([&] { return (mismatch = directory_mismatch(slapd, *c)).empty(); },
                           std::chrono::seconds(5));
                EXPECT_EQ(mismatch, "") << step.where << ": ldap: " << *c;
            }
        }
    }
};

// The guides the tests below run; EveryGuideIsRun keeps this list and docs/idp/ equal.
const std::set<std::string> tested_guides = {"okta.md", "entra.md", "onelogin.md", "jumpcloud.md",
                                             "classlark.md"};

TEST_F(IdpGuides, EveryGuideIsRun) {
    std::set<std::string> on_disk;
    for (const auto& f : fs::directory_iterator(guides_dir())) {
        const std::string name = f.path().filename().string();
        if (f.path().extension() == ".md" && name != "README.md") {
            on_disk.insert(name);
        }
    }
    EXPECT_EQ(on_disk, tested_guides);
    // The README explains the convention; it shows no request of its own.
    const parsed_guide readme = parse_guide(guides_dir() / "README.md");
    EXPECT_TRUE(readme.steps.empty());
}

TEST_F(IdpGuides, ARequestBlockIsParsedAsTheReadmeSays) {
    const fs::path file = fs::path(::testing::TempDir()) / "idp-guide-sample.md";
    std::ofstream(file) << "text\n```http\nPATCH /scim/v2/Users/{{id:a}} HTTP/1.1\n"
                           "Authorization: Bearer {{token}}\nContent-Type: application/scim+json\n"
                           "\n{\"x\": 1}\n# expect 204\n# save b\n"
                           "# ldap: uid=a,ou=People,dc=example,dc=org has cn=A B\n```\n"
                           "```sh\nldapsearch -x\n```\n";
    const parsed_guide g = parse_guide(file);
    ASSERT_TRUE(g.errors.empty()) << g.errors.front();
    ASSERT_EQ(g.steps.size(), 1u);
    const guide_step& s = g.steps.front();
    EXPECT_EQ(s.where, "idp-guide-sample.md:2");
    EXPECT_EQ(s.method, "PATCH");
    EXPECT_EQ(s.target, "/scim/v2/Users/{{id:a}}");
    ASSERT_EQ(s.headers.size(), 2u);
    EXPECT_EQ(s.headers[0].second, "Bearer {{token}}");
    EXPECT_EQ(s.body, "{\"x\": 1}");
    EXPECT_EQ(s.expect, 204u);
    EXPECT_EQ(s.save, "b");
    EXPECT_EQ(s.checks, std::vector<std::string>{"uid=a,ou=People,dc=example,dc=org has cn=A B"});

    // No vacuous pass: no blocks, a block without "# expect", an untested curl line.
    std::ofstream(file) << "# A guide\nno requests at all\n";
    EXPECT_FALSE(parse_guide(file).errors.empty());
    std::ofstream(file) << "```http\nGET /scim/v2/Users HTTP/1.1\n```\n";
    EXPECT_FALSE(parse_guide(file).errors.empty());
    std::ofstream(file) << "```http\nGET /scim/v2/Users HTTP/1.1\n# expect 200\n```\n"
                           "```sh\ncurl -s http://127.0.0.1:8080/scim/v2/Users\n```\n";
    EXPECT_FALSE(parse_guide(file).errors.empty());
    std::ofstream(file) << "```http\nGET /scim/v2/Users HTTP/1.1\n# expect 200\n# expcet 2\n```\n";
    EXPECT_FALSE(parse_guide(file).errors.empty());
    fs::remove(file);
}

TEST_F(IdpGuides, Okta) {
    run_guide("okta.md", bridge_fixture::default_token);
}

TEST_F(IdpGuides, Entra) {
    run_guide("entra.md", bridge_fixture::default_token);
}

TEST_F(IdpGuides, OneLogin) {
    run_guide("onelogin.md", bridge_fixture::default_token);
}

TEST_F(IdpGuides, JumpCloud) {
    run_guide("jumpcloud.md", bridge_fixture::default_token);
}

TEST_F(IdpGuides, ClassLark) {
    run_guide("classlark.md", bridge_fixture::classlark_token);
}

}  // namespace
}  // namespace scimldap::testing
