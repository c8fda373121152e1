#include "api/taxii_auth.h"

#include "api/routes.h"
#include "http/problem.h"
#include "util/crypto.h"
#include "util/text.h"

namespace jaga::api {

namespace {

Error unauthenticated(std::string message) { return Error::unauthenticated(std::move(message)); }

}  // namespace

std::optional<CollectionRight> TaxiiCaller::right(const Collection& collection) const {
  if (staff) return CollectionRight{collection.alias, true, true};
  if (!partner) return std::nullopt;
  for (const auto& r : partner->collections)
    if (r.collection == collection.alias) return r;
  return std::nullopt;
}

Tlp TaxiiCaller::ceiling(const Collection& collection) const {
  if (staff) return Tlp::red;
  if (!partner) return Tlp::clear;
  return highest_tlp_leaving(partner->agreement, collection);
}

void authenticate_taxii(ApiContext& ctx, const http::Request& request, const http::Reply& reply,
                        std::function<void(TaxiiCaller)> then) {
  auto authorization = request.header("authorization");
  if (!authorization)
    return reply(http::problem(unauthenticated("Sign in with HTTP Basic (partner name and password) or a bearer token.")));
  constexpr std::string_view basic = "Basic ";
  if (authorization->size() > basic.size() && iequals(authorization->substr(0, basic.size()), basic)) {
    std::string decoded;
    if (authorization->size() > 1024 || !decode_base64(trim(authorization->substr(basic.size())), decoded))
      return reply(http::problem(unauthenticated("The Basic credentials are not valid base64.")));
    auto colon = decoded.find(':');
    if (colon == std::string::npos) return reply(http::problem(unauthenticated("The Basic credentials lack a ':'.")));
    std::string name = decoded.substr(0, colon), password = decoded.substr(colon + 1);
    auto partner = ctx.store.find_partner(name);
    if (!partner) {
      if (partner.error().kind != ErrorKind::not_found) return reply(http::problem(partner.error()));
      return reply(http::problem(unauthenticated("The partner name or password is wrong.")));
    }
    if (partner->disabled) return reply(http::problem(unauthenticated("This partner account is disabled.")));
    if (ctx.partner_credentials.remembers(partner->password_hash, password)) return then(TaxiiCaller{std::move(*partner), {}});
    auto shared_partner = std::make_shared<Partner>(std::move(*partner));
    return run_on_worker(ctx, reply, [&ctx, request, reply, then, shared_partner, password = std::move(password)] {
      const auto& hash = shared_partner->password_hash;
      if (!ctx.partner_credentials.check(hash, password, [&] { return verify_password(hash, password); })) {
        ctx.store.append_audit(AuditEvent{std::nullopt, shared_partner->name, "taxii.sign_in_failed", "partner",
                                          shared_partner->name, "", request.remote_address},
                               [](Result<int64_t>) {});
        return reply(http::problem(unauthenticated("The partner name or password is wrong.")));
      }
      then(TaxiiCaller{std::move(*shared_partner), {}});
    });
  }
  auto staff = authenticate(ctx, request, false);
  if (!staff) return reply(http::problem(staff.error()));
  if (staff->role != Role::administrator && staff->role != Role::analyst && staff->role != Role::partner_liaison)
    return reply(http::problem(Error::forbidden("The role " + std::string(to_string(staff->role)) +
                                                " may not use the TAXII server.")));
  then(TaxiiCaller{{}, std::move(*staff)});
}

}  // namespace jaga::api
