// One generic handler for a SCIM resource type (RFC 7644 §3.3-3.6): routing, read, create,
// replace, patch, delete, list and the write retry with its If-Match check exist once. What
// differs between Users and Groups is a resource_behaviour: a few named hooks.
#pragma once

#include "bridge/ldap/operations.hpp"
#include "bridge/scim/conditional_write.hpp"
#include "bridge/scim/directory.hpp"
#include "bridge/scim/endpoint_settings.hpp"
#include "bridge/scim/router.hpp"
#include "mapping/patch_request.hpp"
#include "mapping/projection.hpp"

#include <boost/json/fwd.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace scimldap::scim {

class resource_endpoint;

/// One request as a resource type's hooks see it.
struct resource_request {
    directory& dir;
    request_context& ctx;
    const mapping::resource_profile& resource;
    const resource_endpoint& endpoint;
    std::string id;  // from the path; empty on the collection
};

/// How PATCH answers when the client names no attributes (RFC 7644 §3.5.2: 200 or 204).
enum class patch_reply { resource, no_content_with_etag, no_content };

/// What a resource type does its own way. One attempt of a write sets `retry` when the entry
/// changed between its read and its write (without If-Match the handler applies it again).
class resource_behaviour {
public:
    virtual ~resource_behaviour() = default;

    /// The profile's description of this resource type in the request's tenant; nullptr when
    /// its profile has no such type (a further type another tenant's profile defines).
    virtual const mapping::resource_profile* resource(const tenant_view& tenant) const = 0;
    /// The entry by id with `attributes` and its `references` resolved; nullopt when none.
    virtual boost::asio::awaitable<result<std::optional<found_entry>>> find(
        resource_request& r, std::vector<std::string> attributes,
        const std::vector<const mapping::attribute_mapping*>& references) = 0;
    /// POST: makes the entry the body describes; the new resource's id.
    virtual boost::asio::awaitable<result<std::string>> create(resource_request& r,
                                                               const boost::json::value& body) = 0;
    /// PUT, one attempt.
    virtual boost::asio::awaitable<result<void>> replace(resource_request& r,
                                                         const boost::json::value& body,
                                                         bool& retry) = 0;
    /// PATCH, one attempt.
    virtual boost::asio::awaitable<result<void>> patch(
        resource_request& r, const std::vector<mapping::patch_operation>& ops, bool& retry) = 0;
    /// DELETE of the entry read (with remove_attributes()), If-Match already checked.
    virtual boost::asio::awaitable<result<void>> remove(resource_request& r,
                                                        const ldap::entry& current);
    /// DELETE of an id that is not (or no longer) there, before its 404: what an earlier DELETE
    /// of it, cut short after its entry went, left undone.
    virtual boost::asio::awaitable<void> finish_earlier_remove(resource_request& r);
    /// What DELETE reads beyond the id and the version.
    virtual std::vector<std::string> remove_attributes(
        const mapping::resource_profile& resource) const;
    virtual patch_reply patch_answer(const tenant_view& tenant) const = 0;
};

/// The generic handler of one resource type.
class resource_endpoint {
public:
    resource_endpoint(ldap::operations& backend, std::string base_path, endpoint_settings settings,
                      std::unique_ptr<resource_behaviour> behaviour);

    boost::asio::awaitable<http_response> get(request_context& ctx);
    boost::asio::awaitable<http_response> create(request_context& ctx);
    boost::asio::awaitable<http_response> replace(request_context& ctx);
    boost::asio::awaitable<http_response> patch(request_context& ctx);
    boost::asio::awaitable<http_response> remove(request_context& ctx);
    boost::asio::awaitable<http_response> list(request_context& ctx);
    boost::asio::awaitable<http_response> search(request_context& ctx);
    /// Whether the request's tenant has this resource type; when not, `not_offered` answers.
    bool offered_to(const tenant_view& tenant) const;
    boost::asio::awaitable<http_response> not_offered(request_context& ctx) const;

    // --- for the hooks ----------------------------------------------------------------------
    const endpoint_settings& settings() const { return settings_; }
    std::string base_url(const request_context& ctx) const;
    /// The resource as `fields` project it. After a write that succeeded (`after_write`) a
    /// member list too long to return is left out instead of failing the request.
    boost::asio::awaitable<result<resource_reply>> read(resource_request& r,
                                                        const mapping::projection& fields,
                                                        bool after_write = false) const;
    /// The entry a write starts from, with the client's If-Match checked against its version.
    boost::asio::awaitable<result<found_entry>> load_for_write(
        resource_request& r, std::vector<std::string> attributes,
        const std::vector<const mapping::attribute_mapping*>& references) const;

private:
    template <class Attempt>
    boost::asio::awaitable<result<void>> with_retries(Attempt attempt);
    resource_request request_of(directory& dir, request_context& ctx) const;
    /// The tenant's description of this type; routes call offered_to() first.
    const mapping::resource_profile& resource_of(const tenant_view& tenant) const;
    /// A written resource read back: 201 or 200 with it.
    boost::asio::awaitable<http_response> answer_write(resource_request& r, unsigned status);
    /// After a PATCH: the resource, or 204 (with the new ETag when the behaviour asks for it).
    boost::asio::awaitable<http_response> answer_patch(resource_request& r);

    ldap::operations& backend_;
    std::string base_path_;
    endpoint_settings settings_;
    std::unique_ptr<resource_behaviour> behaviour_;
};

/// The SCIM name of the attribute that is the entry's RDN ("userName", "displayName"), for
/// messages.
std::string rdn_name(const mapping::resource_profile& resource);

/// 404 for an id that names no resource of this type.
error not_found(const mapping::resource_profile& resource, std::string_view id);

/// A write's preconditions on the entry it found (RFC 9110 §13.1.1-2, RFC 7644 §3.14): 412
/// unless If-Match (if any) names the entry's version or is "*", and 412 when If-None-Match
/// names it or is "*".
result<void> check_if_match(const request_context& ctx, const mapping::resource_profile& resource,
                            const ldap::entry& current);

/// Registers GET/POST <collection>, POST <collection>/.search and GET/PUT/PATCH/DELETE
/// <collection>/{id} (collection like "/Users"); a tenant whose profile lacks the type gets 404.
void register_resource_routes(router& routes, const std::string& collection,
                              std::shared_ptr<resource_endpoint> endpoint);

}  // namespace scimldap::scim
