#pragma once
// Instants as PharmaSys writes them: RFC 3339, UTC, milliseconds ("2026-11-29T10:15:30.123Z").
#include <chrono>
#include <string>

namespace pharmasys::clock {

std::string NowRfc3339();
std::string ToRfc3339(std::chrono::system_clock::time_point instant);

}  // namespace pharmasys::clock
