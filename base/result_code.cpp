#include "base/result_code.hpp"

#include <array>
#include <utility>

namespace scimldap::ldap {

std::string_view result_name(int code) {
    // RFC 4511 §4.1.9 and appendix A, RFC 4528 (assertionFailed), RFC 3909 (cancel), and the
    // client-side codes of libldap (ldap.h, negative).
    static constexpr std::array<std::pair<int, std::string_view>, 56> names{{
        {0, "success"},
        {1, "operationsError"},
        {2, "protocolError"},
        {3, "timeLimitExceeded"},
        {4, "sizeLimitExceeded"},
        {5, "compareFalse"},
        {6, "compareTrue"},
        {7, "authMethodNotSupported"},
        {8, "strongerAuthRequired"},
        {10, "referral"},
        {11, "adminLimitExceeded"},
        {12, "unavailableCriticalExtension"},
        {13, "confidentialityRequired"},
        {14, "saslBindInProgress"},
        {16, "noSuchAttribute"},
        {17, "undefinedAttributeType"},
        {18, "inappropriateMatching"},
        {19, "constraintViolation"},
        {20, "attributeOrValueExists"},
        {21, "invalidAttributeSyntax"},
        {32, "noSuchObject"},
        {33, "aliasProblem"},
        {34, "invalidDNSyntax"},
        {36, "aliasDereferencingProblem"},
        {48, "inappropriateAuthentication"},
        {49, "invalidCredentials"},
        {50, "insufficientAccessRights"},
        {51, "busy"},
        {52, "unavailable"},
        {53, "unwillingToPerform"},
        {54, "loopDetect"},
        {64, "namingViolation"},
        {65, "objectClassViolation"},
        {66, "notAllowedOnNonLeaf"},
        {67, "notAllowedOnRDN"},
        {68, "entryAlreadyExists"},
        {69, "objectClassModsProhibited"},
        {71, "affectsMultipleDSAs"},
        {80, "other"},
        {118, "canceled"},
        {119, "noSuchOperation"},
        {120, "tooLate"},
        {121, "cannotCancel"},
        {122, "assertionFailed"},
        {-1, "serverDown"},
        {-2, "localError"},
        {-3, "encodingError"},
        {-4, "decodingError"},
        {-5, "timeout"},
        {-6, "authUnknown"},
        {-7, "filterError"},
        {-8, "userCancelled"},
        {-9, "paramError"},
        {-10, "noMemory"},
        {-11, "connectError"},
        {-12, "notSupported"},
    }};
    for (const auto& [value, name] : names) {
        if (value == code) {
            return name;
        }
    }
    return "other";
}

}  // namespace scimldap::ldap
