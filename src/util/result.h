// Result<T> and Error: how jaga reports expected failures (bad input, missing
// records, full queues). Exceptions are kept for bugs. Every Error carries a
// kind that the HTTP layer maps to a status and the CLI to an exit code, a
// message a user can act on, and, for input errors, the field that was wrong.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace jaga {

enum class ErrorKind {
  invalid_input,       // 400
  unauthenticated,     // 401
  forbidden,           // 403
  not_found,           // 404
  conflict,            // 409
  too_large,           // 413
  unsupported_media,   // 415
  too_many_requests,   // 429
  unavailable,         // 503
  internal,            // 500: a bug or a broken disk, never bad input
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
  std::string field;  // JSON pointer or form field name, when the input was at fault

  static Error invalid(std::string message, std::string field = {}) {
    return {ErrorKind::invalid_input, std::move(message), std::move(field)};
  }
  static Error not_found(std::string message) { return {ErrorKind::not_found, std::move(message), {}}; }
  static Error conflict(std::string message) { return {ErrorKind::conflict, std::move(message), {}}; }
  static Error forbidden(std::string message) { return {ErrorKind::forbidden, std::move(message), {}}; }
  static Error unauthenticated(std::string message) {
    return {ErrorKind::unauthenticated, std::move(message), {}};
  }
  static Error too_large(std::string message) { return {ErrorKind::too_large, std::move(message), {}}; }
  static Error unavailable(std::string message) {
    return {ErrorKind::unavailable, std::move(message), {}};
  }
  static Error internal(std::string message) { return {ErrorKind::internal, std::move(message), {}}; }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(failed_);
    return error_;
  }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace jaga
