#pragma once

#include <string>
#include <utility>
#include <variant>

namespace getmesh {

// Why an operation failed; the CLI maps it to an exit code (docs/exit-codes.md).
enum class ErrorKind {
  kRuntime,    // the world is not as needed: missing file, bad data, failed network (exit 1)
  kUsage,      // the command line is wrong (exit 2)
  kCancelled,  // the user declined a prompt or interrupted (exit 1)
};

// A failure the user can act on: `message` says what happened and where, `hint` what to do next.
struct Error {
  ErrorKind kind = ErrorKind::kRuntime;
  std::string message;
  std::string hint;
  bool transient = false;  // a retry may succeed (connection failures, HTTP 5xx)
  long http_status = 0;    // the HTTP status of the answer that caused it; 0 when none

  // Returns a copy whose message is prefixed with `context` (for example the file being read).
  [[nodiscard]] Error with_context(const std::string& context) const {
    return Error{kind, context + ": " + message, hint, transient, http_status};
  }
};

inline Error runtime_error(std::string message, std::string hint = {}) {
  return Error{ErrorKind::kRuntime, std::move(message), std::move(hint)};
}

inline Error usage_error(std::string message, std::string hint = {}) {
  return Error{ErrorKind::kUsage, std::move(message), std::move(hint)};
}

// The value of an operation that can fail on input or I/O. Exceptions are kept for bugs.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  [[nodiscard]] bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  [[nodiscard]] const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

  [[nodiscard]] bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const Error& error() const { return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace getmesh
