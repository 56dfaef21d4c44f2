import { describe, expect, it } from "vitest";
import { base64url, challengeOf, newUuid, newVerifier, sha256 } from "./pkce";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

describe("PKCE", () => {
  it("gives RFC 7636 Appendix B's challenge for its verifier", async () => {
    expect(await challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });
  it("makes 43-character verifiers of the unreserved alphabet, each different", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const v = newVerifier();
      expect(v).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
      seen.add(v);
    }
    expect(seen.size).toBe(200);
  });
  it("uses base64url without padding", () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
  });
  it("makes v4 UUIDs", () => {
    expect(newUuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("SHA-256 without WebCrypto", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it("matches the FIPS 180-4 examples", () => {
    expect(hex(sha256(enc("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hex(sha256(enc("")))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hex(sha256(enc("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });
  it("agrees with WebCrypto on inputs across block boundaries", async () => {
    for (const n of [55, 56, 63, 64, 65, 119, 120, 1000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff);
      const expected = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
      expect(hex(sha256(data))).toBe(hex(expected));
    }
  });
});
