using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Security;

namespace Herald.Server.Tests.Security;

/// <summary>
/// The 46 attacks on CDS Hooks client authentication, each refused with its code, and the tokens that must still pass.
/// Abstract over the validator: it ran against Herald's first, hand-written validator before that was replaced by the one
/// on Microsoft.IdentityModel.JsonWebTokens. A refusal never echoes the token, and no attack makes Herald fetch a URL or
/// use a key the token carries.
/// </summary>
public abstract class TokenAttackSuite : IAsyncLifetime
{
    protected const string Audience = "https://cds.example.org/cds-services/herald-patient-view";
    protected const string Base = "https://cds.example.org";
    protected static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly RSA RsaKeyRestrictedToRs256 = RSA.Create(2048);
    private static readonly RSA AttackerRsa = RSA.Create(2048);
    private static readonly ECDsa AttackerEc = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    private readonly TestTokens ehr = new();
    private readonly TestTokens otherEhr = new("https://other-ehr.example.net");
    private LoopbackJwksServer attackerKeys = null!;

    protected ManualTimeProvider Clock { get; } = new(Now);

    protected CdsAuthOptions Options { get; private set; } = null!;

    private ICdsTokenValidator validator = null!;

    protected abstract ICdsTokenValidator CreateValidator(CdsAuthOptions options, TimeProvider clock);

    public async Task InitializeAsync()
    {
        attackerKeys = await LoopbackJwksServer.StartAsync();
        attackerKeys.Jwks = new JsonObject { ["keys"] = new JsonArray(TestTokens.RsaJwk(AttackerRsa, "attacker")) }.ToJsonString();
        Options = new CdsAuthOptions
        {
            Mode = CdsAuthOptions.JwtMode,
            Issuers =
            [
                new TrustedIssuer { Issuer = ehr.Issuer, JwksFile = ehr.WriteJwksFile(TestTokens.RsaJwk(RsaKeyRestrictedToRs256, "rs256-only", "RS256")) },
                new TrustedIssuer { Issuer = otherEhr.Issuer, JwksFile = otherEhr.WriteJwksFile() },
            ],
        };
        validator = CreateValidator(Options, Clock);
    }

    public async Task DisposeAsync()
    {
        await attackerKeys.DisposeAsync();
        ehr.Dispose();
        otherEhr.Dispose();
    }

    private sealed record Attack(string[] Codes, Func<TokenAttackSuite, Task<TokenValidationOutcome>> Run);

    private Task<TokenValidationOutcome> Send(string token, string audience = Audience) =>
        validator.ValidateAsync(TestTokens.Bearer(token), audience, CancellationToken.None);

    private Task<TokenValidationOutcome> SendHeader(string? authorization) =>
        validator.ValidateAsync(authorization, Audience, CancellationToken.None);

    private Task<TokenValidationOutcome> SendToService(string token) =>
        validator.ValidateAsync(TestTokens.Bearer(token), new AudienceRule(Audience, SessionAudience: null), CancellationToken.None);

    private string Mint(JsonObject header, Action<JsonObject>? claims = null, RSA? rsa = null, ECDsa? ec = null)
    {
        var body = ehr.Claims(Audience, Clock.Now);
        claims?.Invoke(body);
        return ehr.Mint(header, body, rsa, ec);
    }

    private static JsonObject Header(string alg, string kid = TestTokens.RsaKid) => TestTokens.Header(alg, kid);

    private static string Part(string json) => TestTokens.B64(Encoding.UTF8.GetBytes(json));

    /// <summary>header.payload signed with an HMAC whose secret is text the attacker knows (the public key, the JWKS).</summary>
    private string HmacSigned(string alg, byte[] secret)
    {
        var signingInput = Part(Header(alg).ToJsonString()) + "." + Part(ehr.Claims(Audience, Clock.Now).ToJsonString());
        var data = Encoding.ASCII.GetBytes(signingInput);
        var mac = alg == "HS256" ? HMACSHA256.HashData(secret, data) : HMACSHA384.HashData(secret, data);
        return signingInput + "." + TestTokens.B64(mac);
    }

    /// <summary>A token whose header and payload JSON are written by hand (to repeat names), signed with the EHR's key.</summary>
    private string SignedRaw(string headerJson, string payloadJson)
    {
        var signingInput = Part(headerJson) + "." + Part(payloadJson);
        var signature = ehr.Rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
        return signingInput + "." + TestTokens.B64(signature);
    }

    private string ClaimsJson() => ehr.Claims(Audience, Clock.Now).ToJsonString();

    private static string PublicKeyPem(RSA rsa) => rsa.ExportSubjectPublicKeyInfoPem();

    private static readonly Dictionary<string, Attack> Attacks = new(StringComparer.Ordinal)
    {
        // The Authorization header and the token's shape.
        ["no Authorization header"] = new(["missing-token"], s => s.SendHeader(null)),
        ["Basic credentials instead of a bearer token"] = new(["malformed-authorization-header"], s => s.SendHeader("Basic dXNlcjpwYXNz")),
        ["a token longer than the limit"] = new(["token-too-large"],
            s => s.Send(s.ehr.Rs384(Audience, s.Clock.Now, c => c["padding"] = new string('x', s.Options.MaxTokenBytes)))),
        ["one part"] = new(["malformed-token"], s => s.Send("eyJhbGciOiJSUzM4NCJ9")),
        ["five parts, an encrypted token (JWE)"] = new(["malformed-token"], s => s.Send("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d")),
        ["base64 padding in a part"] = new(["malformed-token"], s =>
        {
            var parts = s.ehr.Rs384(Audience, s.Clock.Now).Split('.');
            return s.Send(parts[0] + "=." + parts[1] + "." + parts[2]);
        }),
        ["a header that is not JSON"] = new(["malformed-token"], s => s.Send(Part("not json") + "." + Part(s.ClaimsJson()) + ".c2ln")),
        ["a payload that is a JSON array"] = new(["malformed-token"], s => s.Send(s.SignedRaw(Header("RS384").ToJsonString(), "[1,2]"))),
        ["iss given twice, the first a stranger"] = new(["malformed-token"], s => s.Send(s.SignedRaw(Header("RS384").ToJsonString(),
            "{\"iss\":\"https://attacker.invalid\"," + s.ClaimsJson()[1..]))),
        ["alg given twice in the header"] = new(["malformed-token"], s => s.Send(s.SignedRaw(
            "{\"alg\":\"none\",\"alg\":\"RS384\",\"typ\":\"JWT\",\"kid\":\"ehr-rsa-1\"}", s.ClaimsJson()))),

        // Algorithms.
        ["alg none"] = new(["alg-none"], s => s.Send(s.Mint(Header("none")))),
        ["alg NoNe, with the signature stripped"] = new(["alg-none"], s =>
        {
            var parts = s.Mint(Header("NoNe")).Split('.');
            return s.Send(parts[0] + "." + parts[1] + ".");
        }),
        ["HS256 keyed with the issuer's public key (key confusion)"] = new(["unsupported-alg"],
            s => s.Send(s.HmacSigned("HS256", Encoding.UTF8.GetBytes(PublicKeyPem(s.ehr.Rsa))))),
        ["HS384 keyed with the issuer's published JWK Set"] = new(["unsupported-alg"],
            s => s.Send(s.HmacSigned("HS384", Encoding.UTF8.GetBytes(s.ehr.JwksJson())))),
        ["RS256, a weaker hash than CDS Hooks allows"] = new(["unsupported-alg"], s => s.Send(s.Mint(Header("RS256")))),
        ["PS384"] = new(["unsupported-alg"], s => s.Send(s.Mint(Header("PS384")))),
        ["rs384 in lower case"] = new(["unsupported-alg"], s => s.Send(s.Mint(Header("rs384")))),
        ["ES384 naming the issuer's RSA key"] = new(["alg-key-mismatch"], s => s.Send(s.Mint(Header("ES384")))),
        ["RS384 naming the issuer's EC key"] = new(["alg-key-mismatch"], s => s.Send(s.Mint(Header("RS384", TestTokens.EcKid)))),
        ["RS384 naming a key published for RS256 only"] = new(["alg-key-mismatch"],
            s => s.Send(s.Mint(Header("RS384", "rs256-only"), rsa: RsaKeyRestrictedToRs256))),

        // The JOSE header CDS Hooks expects.
        ["no kid"] = new(["invalid-header"], s => s.Send(s.Mint(new JsonObject { ["alg"] = "RS384", ["typ"] = "JWT" }))),
        ["typ other than JWT"] = new(["invalid-header"], s => s.Send(s.Mint(new JsonObject { ["alg"] = "RS384", ["typ"] = "JOSE+JSON", ["kid"] = TestTokens.RsaKid }))),
        ["a critical extension (crit) Herald does not know"] = new(["invalid-header"], s =>
        {
            var header = Header("RS384");
            header["crit"] = new JsonArray("exp");
            return s.Send(s.Mint(header));
        }),

        // Keys the token brings with it, or names: never fetched, never used.
        ["a foreign jku naming the attacker's key set"] = new(["unknown-kid"], s =>
        {
            var header = Header("RS384", "attacker");
            header["jku"] = s.attackerKeys.Url;
            return s.Send(s.Mint(header, rsa: AttackerRsa));
        }),
        ["a foreign x5u naming the attacker's certificate"] = new(["unknown-kid"], s =>
        {
            var header = Header("RS384", "attacker");
            header["x5u"] = s.attackerKeys.Url;
            return s.Send(s.Mint(header, rsa: AttackerRsa));
        }),
        ["an embedded jwk with the attacker's key, under a trusted kid"] = new(["invalid-signature"], s =>
        {
            var header = Header("RS384");
            header["jwk"] = TestTokens.RsaJwk(AttackerRsa, TestTokens.RsaKid);
            return s.Send(s.Mint(header, rsa: AttackerRsa));
        }),
        ["an embedded x5c with the attacker's self-signed certificate"] = new(["invalid-signature"], s =>
        {
            var header = Header("RS384");
            header["x5c"] = new JsonArray(Convert.ToBase64String(SelfSigned(AttackerRsa)));
            return s.Send(s.Mint(header, rsa: AttackerRsa));
        }),
        ["the attacker's key under a trusted kid"] = new(["invalid-signature"], s => s.Send(s.Mint(Header("RS384"), rsa: AttackerRsa))),
        ["a kid the issuer never published"] = new(["unknown-kid"], s => s.Send(s.Mint(Header("RS384", "never-published")))),
        ["a kid that is a path"] = new(["unknown-kid"], s => s.Send(s.Mint(Header("RS384", "../../../../etc/passwd")))),
        ["an issuer nobody configured"] = new(["unknown-issuer"], s => s.Send(s.Mint(Header("RS384"), c => c["iss"] = "https://attacker.invalid"))),
        ["another trusted issuer's name, signed with the first issuer's key"] = new(["invalid-signature"],
            s => s.Send(s.Mint(Header("RS384"), c => c["iss"] = s.otherEhr.Issuer))),
        ["an ES384 signature in DER form"] = new(["invalid-signature"], s =>
        {
            var parts = s.ehr.Es384(Audience, s.Clock.Now).Split('.');
            var der = s.ehr.Ec.SignData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence);
            return s.Send(parts[0] + "." + parts[1] + "." + TestTokens.B64(der));
        }),
        ["a claim changed after signing"] = new(["invalid-signature"], s =>
        {
            var claims = s.ehr.Claims(Audience, s.Clock.Now);
            var token = s.ehr.Mint(Header("RS384"), claims);
            claims["sub"] = "someone-else";
            return s.Send(TestTokens.WithPayload(token, claims));
        }),

        // Time, audience and use.
        ["expired"] = new(["expired"], s => s.Send(s.ehr.Rs384(Audience, s.Clock.Now.AddHours(-1)))),
        ["not valid before a time beyond the skew"] = new(["not-yet-valid"],
            s => s.Send(s.ehr.Rs384(Audience, s.Clock.Now, c => c["nbf"] = s.Clock.Now.AddMinutes(3).ToUnixTimeSeconds()))),
        ["issued in the future beyond the skew"] = new(["iat-in-future"],
            s => s.Send(s.ehr.Rs384(Audience, s.Clock.Now, c => c["iat"] = s.Clock.Now.AddMinutes(3).ToUnixTimeSeconds()))),
        ["a lifetime longer than the maximum"] = new(["lifetime-too-long"],
            s => s.Send(s.ehr.Rs384(Audience, s.Clock.Now, c => c["exp"] = (s.Clock.Now + s.Options.MaxTokenLifetime).ToUnixTimeSeconds() + 1))),
        ["no exp"] = new(["missing-claim"], s => s.Send(s.ehr.Rs384(Audience, s.Clock.Now, c => c.Remove("exp")))),
        ["no jti"] = new(["missing-claim"], s => s.Send(s.ehr.Rs384(Audience, s.Clock.Now, c => c.Remove("jti")))),
        ["exp as text"] = new(["invalid-claim", "malformed-token"], s => s.Send(s.ehr.Rs384(Audience, s.Clock.Now, c => c["exp"] = "tomorrow"))),
        ["another host's audience"] = new(["wrong-audience"], s => s.Send(s.ehr.Rs384("https://attacker.invalid/cds-services/herald-patient-view", s.Clock.Now))),
        ["another service's audience on this host"] = new(["wrong-audience"], s => s.Send(s.ehr.Rs384(Base + "/cds-services/other-service", s.Clock.Now))),
        ["a session token (Herald's base URL) at a CDS Hooks service"] = new(["wrong-audience"], s => s.SendToService(s.ehr.Rs384(Base, s.Clock.Now))),
        ["the same token sent twice"] = new(["replayed-jti"], async s =>
        {
            var token = s.ehr.Rs384(Audience, s.Clock.Now);
            Assert.True((await s.Send(token)).IsValid);
            return await s.Send(token);
        }),
        ["a new token reusing a jti"] = new(["replayed-jti"], async s =>
        {
            Assert.True((await s.Send(s.ehr.Rs384(Audience, s.Clock.Now, c => c["jti"] = "dup"))).IsValid);
            return await s.Send(s.ehr.Es384(Audience, s.Clock.Now.AddSeconds(10), c => c["jti"] = "dup"));
        }),
    };

    public static TheoryData<string> AttackNames() => [.. Attacks.Keys];

    [Fact]
    public void The_suite_holds_the_46_attacks_of_the_security_campaign() => Assert.Equal(46, Attacks.Count);

    [Theory]
    [MemberData(nameof(AttackNames))]
    public async Task Every_attack_is_refused_with_its_code_without_echoing_the_token(string attack)
    {
        var outcome = await Attacks[attack].Run(this);

        Assert.False(outcome.IsValid, $"{attack} was accepted");
        Assert.True(Attacks[attack].Codes.Contains(outcome.FailureCode), $"{attack}: {outcome.FailureCode} ({outcome.Message}), expected {string.Join(" or ", Attacks[attack].Codes)}");
        Assert.False(string.IsNullOrWhiteSpace(outcome.Message));
        Assert.DoesNotContain("eyJ", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(0, attackerKeys.Requests); // No jku or x5u is ever fetched.
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_byte_order_mark_before_the_header_or_the_payload_is_refused_as_malformed_not_thrown(bool inHeader)
    {
        const string Bom = "\uFEFF";
        var header = Header("RS384").ToJsonString();
        var token = inHeader ? SignedRaw(Bom + header, ClaimsJson()) : SignedRaw(header, Bom + ClaimsJson());

        var outcome = await Send(token);

        Assert.False(outcome.IsValid);
        Assert.Equal("malformed-token", outcome.FailureCode);
    }

    [Fact]
    public async Task A_valid_RS384_token_is_accepted_with_its_issuer_subject_tenant_and_jti()
    {
        var outcome = await Send(ehr.Rs384(Audience, Now, c => c["jti"] = "jti-rs-1"));

        Assert.True(outcome.IsValid, outcome.Message);
        Assert.Equal((ehr.Issuer, "ehr-client-7", "hospital-1", "jti-rs-1"), (outcome.Issuer, outcome.Subject, outcome.Tenant, outcome.Jti));
    }

    [Fact]
    public async Task A_valid_ES384_token_is_accepted() =>
        Assert.True((await Send(ehr.Es384(Audience, Now))).IsValid);

    [Fact]
    public async Task The_specification_example_header_with_a_jku_is_accepted_without_fetching_it()
    {
        var header = Header("ES384", TestTokens.EcKid);
        header["jku"] = attackerKeys.Url;

        var outcome = await Send(ehr.Mint(header, ehr.Claims(Audience, Now)));

        Assert.True(outcome.IsValid, outcome.Message);
        Assert.Equal(0, attackerKeys.Requests);
    }

    [Fact]
    public async Task An_audience_array_holding_the_service_url_is_accepted() =>
        Assert.True((await Send(ehr.Rs384(Audience, Now, c => c["aud"] = new JsonArray("https://elsewhere.example/x", Audience)))).IsValid);

    [Fact]
    public async Task A_session_token_serves_a_REST_route_again_and_again_until_it_expires()
    {
        var token = ehr.Rs384(Base, Now);
        var rule = new AudienceRule(Base + "/api/recommendations", Base);

        Assert.True((await validator.ValidateAsync(TestTokens.Bearer(token), rule, default)).IsValid);
        Assert.True((await validator.ValidateAsync(TestTokens.Bearer(token), rule, default)).IsValid);
        Clock.Advance(TimeSpan.FromMinutes(7));
        Assert.Equal("expired", (await validator.ValidateAsync(TestTokens.Bearer(token), rule, default)).FailureCode);
    }

    [Fact]
    public async Task The_bearer_scheme_is_case_insensitive_and_dates_may_have_fractions() =>
        Assert.True((await SendHeader("bearer " + ehr.Rs384(Audience, Now, c => c["iat"] = Now.ToUnixTimeSeconds() + 0.25))).IsValid);

    [Fact]
    public async Task Exp_is_honoured_up_to_the_clock_skew_and_not_at_it()
    {
        var first = ehr.Rs384(Audience, Now);
        var second = ehr.Rs384(Audience, Now);

        Clock.Now = Now.AddMinutes(5) + Options.ClockSkew - TimeSpan.FromSeconds(1);
        Assert.True((await Send(first)).IsValid);
        Clock.Now = Now.AddMinutes(5) + Options.ClockSkew;
        Assert.Equal("expired", (await Send(second)).FailureCode);
    }

    [Fact]
    public async Task A_forged_token_does_not_burn_the_jti_of_a_genuine_one()
    {
        var claims = ehr.Claims(Audience, Now);

        Assert.Equal("invalid-signature", (await Send(ehr.Mint(Header("RS384"), claims, rsa: AttackerRsa))).FailureCode);
        Assert.True((await Send(ehr.Mint(Header("RS384"), claims))).IsValid);
    }

    [Fact]
    public async Task A_token_refused_for_its_audience_can_still_be_used_at_its_own_service()
    {
        var token = ehr.Rs384(Audience, Now);

        Assert.Equal("wrong-audience", (await Send(token, Base + "/cds-services/other")).FailureCode);
        Assert.True((await Send(token)).IsValid);
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("iat")]
    [InlineData("jti")]
    [InlineData("exp")]
    public async Task A_token_lacking_a_required_claim_is_refused_naming_it(string claim)
    {
        var outcome = await Send(ehr.Rs384(Audience, Now, c => c.Remove(claim)));

        Assert.Equal("missing-claim", outcome.FailureCode);
        Assert.Contains($"'{claim}'", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exp_before_iat_is_an_invalid_claim() =>
        Assert.Equal("invalid-claim", (await Send(ehr.Rs384(Audience, Now, c =>
        {
            c["iat"] = Now.AddSeconds(40).ToUnixTimeSeconds();
            c["exp"] = Now.AddSeconds(30).ToUnixTimeSeconds();
        }))).FailureCode);

    [Fact]
    public async Task Jti_values_are_remembered_per_issuer()
    {
        Assert.True((await Send(ehr.Rs384(Audience, Now, c => c["jti"] = "shared"))).IsValid);
        Assert.True((await Send(otherEhr.Rs384(Audience, Now, c => c["jti"] = "shared"))).IsValid);
    }

    private static byte[] SelfSigned(RSA key)
    {
        var request = new CertificateRequest("CN=attacker", key, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(1));
        return certificate.Export(X509ContentType.Cert);
    }
}

/// <summary>The suite against the validator on Microsoft.IdentityModel.JsonWebTokens.</summary>
public sealed class LibraryValidatorAttackTests : TokenAttackSuite
{
    protected override ICdsTokenValidator CreateValidator(CdsAuthOptions options, TimeProvider clock) => NewValidator(options, clock);

    internal static CdsJwtValidator NewValidator(CdsAuthOptions options, TimeProvider clock, HttpClient? http = null) =>
        new(options, new IssuerKeyRegistry(options, http ?? new HttpClient(), clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<IssuerKeyRegistry>.Instance), new JtiReplayCache(clock, options.ReplayCacheCapacity), clock);
}
