#pragma once
// The login decision (API.md Auth): five consecutive failures lock an account for fifteen
// minutes. Pure: the caller reads the account, asks, and stores what it is told.
#include <chrono>
#include <optional>

namespace pharmasys::auth_service {

inline constexpr int kMaxFailures = 5;
inline constexpr std::chrono::minutes kLockout{15};

struct AccountState {
  bool active = true;
  int consecutive_failures = 0;
  std::optional<std::chrono::system_clock::time_point> locked_until;
};

enum class LoginOutcome { Success, WrongPassword, LockedNow, Locked, Inactive };

struct LoginDecision {
  LoginOutcome outcome;
  int consecutive_failures;  // to store
  std::optional<std::chrono::system_clock::time_point> locked_until;
};

inline bool IsLocked(const AccountState& account, std::chrono::system_clock::time_point now) {
  return account.locked_until && *account.locked_until > now;
}

// `password_ok` is only consulted when the account may log in at all.
inline LoginDecision DecideLogin(const AccountState& account, bool password_ok,
                                 std::chrono::system_clock::time_point now) {
  if (!account.active) return {LoginOutcome::Inactive, account.consecutive_failures, account.locked_until};
  if (IsLocked(account, now)) return {LoginOutcome::Locked, account.consecutive_failures, account.locked_until};
  // A lock that has expired starts a fresh count.
  int failures = account.locked_until ? 0 : account.consecutive_failures;
  if (password_ok) return {LoginOutcome::Success, 0, std::nullopt};
  ++failures;
  if (failures >= kMaxFailures) return {LoginOutcome::LockedNow, failures, now + kLockout};
  return {LoginOutcome::WrongPassword, failures, std::nullopt};
}

}  // namespace pharmasys::auth_service
