// Checking the fields of a report, shared by the public form and desk intake.
// Pure: a JSON object in, a ReportInput or an Error naming the field out.
#include "api/report_input.h"

#include "api/json_input.h"
#include "model/rsit.h"
#include "util/text.h"
#include "util/time.h"

namespace jaga::api {

Result<ReportInput> read_report_input(const boost::json::object& o) {
  ReportInput input;
  auto category = string_field(o, "category", true, 100);
  if (!category) return category.error();
  if (!Rsit::builtin().is_category(*category))
    return Error::invalid("category must be an RSIT class and type such as fraud:phishing", "/category");
  input.category = *category;
  auto description = string_field(o, "description", true, 20000);
  if (!description) return description.error();
  input.description = *description;
  auto occurred = string_field(o, "occurred_at", false, 40);
  if (!occurred) return occurred.error();
  if (!occurred->empty()) {
    auto when = parse_rfc3339(*occurred);
    if (!when) return Error::invalid("occurred_at must be a date (2026-11-25) or an RFC 3339 time", "/occurred_at");
    if (*when > Clock::now() + std::chrono::hours(24))
      return Error::invalid("occurred_at is in the future", "/occurred_at");
    input.occurred_at = format_rfc3339(*when);
  }
  auto involved = string_field(o, "involved", false, 5000);
  if (!involved) return involved.error();
  input.involved = *involved;
  auto language = string_field(o, "language", false, 8);
  if (!language) return language.error();
  if (!language->empty()) {
    if (*language != "id" && *language != "en" && *language != "zh")
      return Error::invalid("language must be id, en or zh", "/language");
    input.language = *language;
  }
  if (auto* contact = o.if_contains("contact"); contact && !contact->is_null()) {
    if (contact->is_string()) {
      // A single line of contact details: sort it into the field it looks like.
      std::string text(trim(std::string(contact->as_string())));
      if (text.size() > 300) return Error::invalid("contact is longer than 300 characters", "/contact");
      if (text.find('@') != std::string::npos) input.contact.email = text;
      else if (text.find_first_of("0123456789") != std::string::npos) input.contact.phone = text;
      else input.contact.name = text;
    } else if (contact->is_object()) {
      const auto& c = contact->as_object();
      auto name = string_field(c, "name", false, 200, "/contact/");
      if (!name) return name.error();
      auto email = string_field(c, "email", false, 254, "/contact/");
      if (!email) return email.error();
      if (!email->empty() && (email->find('@') == std::string::npos || email->find(' ') != std::string::npos))
        return Error::invalid("contact email is not an email address", "/contact/email");
      auto phone = string_field(c, "phone", false, 40, "/contact/");
      if (!phone) return phone.error();
      input.contact = {*name, *email, *phone};
    } else {
      return Error::invalid("contact must be an object with name, email and phone", "/contact");
    }
  }
  auto anonymous = bool_field(o, "anonymous");
  if (!anonymous) return anonymous.error();
  input.anonymous = anonymous->value_or(input.contact.empty());
  if (input.anonymous) input.contact = {};  // "stay anonymous" wins over stray contact fields
  auto consent = bool_field(o, "consent");
  if (!consent) return consent.error();
  input.consent = consent->value_or(false);
  return input;
}

}  // namespace jaga::api
