#include "tests/faults/journal.hpp"

#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace scimldap::faults {

journal::journal(const std::string& path) : out_(path, std::ios::trunc) {
    if (!out_) {
        throw std::runtime_error("cannot write the journal " + path);
    }
}

void journal::write(const journal_request& request, const http_outcome& outcome) {
    boost::json::object line{{"sent", outcome.sent_at},    {"answered", outcome.answered_at},
                             {"client", request.client},   {"op", request.op},
                             {"kind", request.kind},       {"key", request.key},
                             {"attempt", request.attempt}, {"method", request.method},
                             {"target", request.target},   {"status", outcome.status}};
    if (!request.body.empty()) {
        line["body"] = request.body;
    }
    if (!request.effect.empty()) {
        line["effect"] = request.effect;
    }
    if (outcome.status == 0) {
        line["no_answer"] = outcome.error;
        line["connection_error"] = outcome.connection_error;
        line["timed_out"] = outcome.timed_out;
    } else {
        line["response"] = outcome.body;
        if (!outcome.etag.empty()) {
            line["etag"] = outcome.etag;
        }
        if (!outcome.retry_after.empty()) {
            line["retry_after"] = outcome.retry_after;
        }
    }
    out_ << boost::json::serialize(line) << '\n';
}

}  // namespace scimldap::faults
