#include "pages.hpp"

#include "../domain/pkce.hpp"
#include "pharmasys/audit/audit.hpp"

namespace pharmasys::auth_service {
namespace {

// Readable from 320 px up: one column, no fixed widths; a focus ring that shows on every control.
constexpr std::string_view kStyle =
    "*{box-sizing:border-box}"
    "body{margin:0;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;font-size:1rem;"
    "line-height:1.5;color:#1b1f24;background:#f3f5f7}"
    "main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d0d7de;"
    "border-radius:8px}"
    "h1{font-size:1.5rem;margin:0 0 1rem}"
    "label{display:block;font-weight:600;margin-top:1rem}"
    "input{display:block;width:100%;margin-top:.25rem;padding:.625rem .75rem;font:inherit;color:inherit;"
    "background:#fff;border:1px solid #57606a;border-radius:4px}"
    "button{display:block;width:100%;margin-top:1.5rem;padding:.75rem;font:inherit;font-weight:600;color:#fff;"
    "background:#0a5cad;border:1px solid #0a5cad;border-radius:4px;cursor:pointer}"
    "button:hover{background:#084a8c}"
    ":focus-visible{outline:3px solid #1b1f24;outline-offset:2px}"
    ".erro{margin:0 0 1rem;padding:.75rem;color:#7a1a12;background:#fdecea;border-left:4px solid #b42318}"
    "@media (max-width:30rem){main{margin:0;border:0;border-radius:0;min-height:100vh}}";

const std::string& StyleHash() {
  static const std::string hash = "'sha256-" + Sha256Base64(kStyle) + "'";
  return hash;
}

// Whatever a request carried, what a page shows of it is valid UTF-8 without NUL, and short.
std::string Shown(std::string_view text) {
  return EscapeHtml(audit::NormalizeText(text, 256));
}

void SetCommonHeaders(http::Response& response) {
  response.headers.Set("Cache-Control", "no-store");
  response.headers.Set("Pragma", "no-cache");
  response.headers.Set("Referrer-Policy", "no-referrer");
  response.headers.Set("X-Frame-Options", "DENY");
  response.headers.Set("X-Content-Type-Options", "nosniff");
}

// `form_action`: where the page's form may go — itself, and the redirect URI its answer sends the
// browser on to (browsers hold a form's redirects to form-action too).
http::Response Page(int status, std::string_view title, std::string_view content, std::string_view form_action) {
  std::string html;
  html.reserve(4096);
  html += "<!doctype html>\n<html lang=\"pt-BR\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<meta name=\"robots\" content=\"noindex\">\n<title>";
  html += EscapeHtml(title);
  html += "</title>\n<style>";
  html += kStyle;
  html += "</style>\n</head>\n<body>\n<main>\n";
  html += content;
  html += "</main>\n</body>\n</html>\n";
  auto response = http::Response::Text(status, std::move(html), "text/html; charset=utf-8");
  response.headers.Set("Content-Security-Policy", "default-src 'none'; style-src " + StyleHash() + "; form-action " +
                                                      std::string(form_action) +
                                                      "; frame-ancestors 'none'; base-uri 'none'");
  SetCommonHeaders(response);
  return response;
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

http::Response SignInPage(int status, const AuthorizationRequest& request, std::string_view username,
                          std::string_view refusal) {
  const bool refused = !refusal.empty();
  const std::string described = refused ? " aria-describedby=\"erro\" aria-invalid=\"true\"" : "";
  std::string content = "<h1>PharmaSys — Entrar</h1>\n";
  if (refused) content += "<p class=\"erro\" id=\"erro\" role=\"alert\">" + Shown(refusal) + "</p>\n";
  // A relative action: the endpoint's own path, whatever prefix a proxy in front adds.
  content += "<form method=\"post\" action=\"autorizar\">\n";
  const std::pair<std::string_view, const std::string*> hidden[] = {
      {"response_type", &request.response_type},   {"client_id", &request.client_id},
      {"redirect_uri", &request.redirect_uri},     {"state", &request.state},
      {"code_challenge", &request.code_challenge}, {"code_challenge_method", &request.code_challenge_method}};
  for (const auto& [name, value] : hidden) {
    content += "<input type=\"hidden\" name=\"" + std::string(name) + "\" value=\"" + Shown(*value) + "\">\n";
  }
  content += "<label for=\"username\">Usuário</label>\n";
  content +=
      "<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" autocapitalize=\"none\""
      " spellcheck=\"false\" required" +
      described + (username.empty() ? " autofocus" : "") + " value=\"" + Shown(username) + "\">\n";
  content += "<label for=\"password\">Senha</label>\n";
  content += "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required" +
             described + (username.empty() ? "" : " autofocus") + ">\n";
  content += "<button type=\"submit\">Entrar</button>\n</form>\n";
  return Page(status, "PharmaSys — Entrar", content, "'self' " + OriginOf(request.redirect_uri));
}

http::Response ErrorPage(int status, std::string_view message) {
  std::string content = "<h1>Não foi possível entrar</h1>\n";
  content += "<p class=\"erro\" role=\"alert\">" + Shown(message) + "</p>\n";
  content +=
      "<p>Volte ao aplicativo do PharmaSys e tente entrar de novo. Se o problema continuar, fale com o "
      "administrador do sistema.</p>\n";
  return Page(status, "PharmaSys — Não foi possível entrar", content, "'none'");
}

http::Response RedirectTo(const std::string& location) {
  auto response = http::Response::Empty(303);
  response.headers.Set("Location", location);
  SetCommonHeaders(response);
  return response;
}

}  // namespace pharmasys::auth_service
