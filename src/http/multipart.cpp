#include "http/multipart.h"

#include "util/text.h"

namespace jaga::http {

static std::string param(std::string_view header, std::string_view name) {
  for (auto piece : split(header, ';')) {
    piece = trim(piece);
    auto eq = piece.find('=');
    if (eq == std::string_view::npos) continue;
    if (!iequals(trim(piece.substr(0, eq)), name)) continue;
    auto value = trim(piece.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return std::string(value);
  }
  return {};
}

// Browsers send the bare file name; some older ones send a full path.
static std::string base_name(std::string name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  return name;
}

Result<std::vector<FormPart>> parse_multipart(std::string_view content_type, std::string_view body,
                                              size_t max_parts) {
  std::string boundary = param(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70)
    return Error::invalid("multipart body without a valid boundary");
  std::string delimiter = "--" + boundary;
  std::vector<FormPart> parts;
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return Error::invalid("multipart body has no parts");
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") return Error::invalid("malformed multipart delimiter");
    pos += 2;
    size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos) return Error::invalid("multipart part without headers end");
    FormPart part;
    for (auto line : split(body.substr(pos, head_end - pos), '\n')) {
      line = trim(line);
      auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      auto name = trim(line.substr(0, colon));
      auto value = trim(line.substr(colon + 1));
      if (iequals(name, "content-disposition")) {
        part.name = param(value, "name");
        part.filename = base_name(param(value, "filename"));
      } else if (iequals(name, "content-type")) {
        part.content_type = std::string(value);
      }
    }
    size_t data_start = head_end + 4;
    size_t next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return Error::invalid("multipart body is not terminated");
    part.data = body.substr(data_start, next - data_start);
    if (part.name.empty()) return Error::invalid("multipart part without a name");
    parts.push_back(std::move(part));
    if (parts.size() > max_parts) return Error::too_large("too many parts in the form");
    pos = next + 2;
  }
}

}  // namespace jaga::http
