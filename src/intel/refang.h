// Refanging: undoing the "defanging" people apply to dangerous addresses so
// that they cannot be clicked (hxxp://, example[.]com, user[at]mail.com).
// Pure and total: any bytes in, text out.
#pragma once

#include <string>
#include <string_view>

namespace jaga {

std::string refang(std::string_view text);

}  // namespace jaga
