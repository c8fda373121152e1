// Who is calling the TAXII server: a partner agency with HTTP Basic (its
// name and password) or a member of the desk with a bearer API token. A
// partner's rights come from its agreement and its collections; the desk
// sees and writes everything.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "api/access.h"
#include "model/exchange.h"

namespace jaga::api {

struct TaxiiCaller {
  std::optional<Partner> partner;  // a partner agency
  std::optional<Caller> staff;     // or the desk itself

  std::string name() const { return partner ? partner->name : staff ? staff->user.username : ""; }
  std::optional<CollectionRight> right(const Collection& collection) const;
  // The highest label this caller may receive from the collection.
  Tlp ceiling(const Collection& collection) const;
  bool personal_data() const { return staff || (partner && partner->agreement.personal_data); }
};

// Authenticates, then calls `then` with the caller (possibly on a worker
// thread) or replies 401.
void authenticate_taxii(ApiContext& ctx, const http::Request& request, const http::Reply& reply,
                        std::function<void(TaxiiCaller)> then);

}  // namespace jaga::api
