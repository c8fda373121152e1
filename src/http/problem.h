// RFC 9457 problem details: the one shape every HTTP error of jaga takes.
// This is the boundary where an Error becomes what a client sees.
#pragma once

#include <string_view>

#include "http/message.h"
#include "util/result.h"

namespace jaga::http {

int status_for(ErrorKind kind);
Response problem(int status, std::string_view title, std::string_view detail,
                 std::string_view field = {});
Response problem(const Error& error);
// A problem with its own type URI, for answers a client acts on, e.g.
// "urn:jaga:second-factor-required".
Response typed_problem(int status, std::string_view type, std::string_view title, std::string_view detail);

}  // namespace jaga::http
