#pragma once
// The HTML of the authorization endpoint: the sign-in page, and the page of an error that must
// not go back to the client. No script at all, and one inline style sheet allowed by its hash in
// the page's own Content-Security-Policy; every value a page reflects is escaped. Pages and
// redirects are never stored, framed or sent on as a referrer.
#include <string>
#include <string_view>

#include "../domain/authorization.hpp"
#include "pharmasys/http/message.hpp"

namespace pharmasys::auth_service {

// Text made safe inside an element or a quoted attribute (& < > " ').
std::string EscapeHtml(std::string_view text);

// The sign-in form for `request` (carried as hidden fields), with the username typed before and
// the reason it was refused, when there is one.
http::Response SignInPage(int status, const AuthorizationRequest& request, std::string_view username,
                          std::string_view refusal);

// A page that explains `message` and sends nobody anywhere.
http::Response ErrorPage(int status, std::string_view message);

// 303 See Other to `location`, with the headers of every answer of the endpoint.
http::Response RedirectTo(const std::string& location);

}  // namespace pharmasys::auth_service
