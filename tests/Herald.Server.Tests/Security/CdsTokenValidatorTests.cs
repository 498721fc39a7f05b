using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Herald.Server.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Server.Tests.Security;

public sealed class CdsTokenValidatorTests : IDisposable
{
    private const string Audience = "https://cds.example.org/cds-services/herald-patient-view";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TestTokens ehr = new();
    private readonly TestTokens otherEhr = new("https://other-ehr.example.net");
    private readonly ManualTimeProvider clock = new(Now);
    private readonly CdsAuthOptions options;
    private readonly CdsTokenValidator validator;

    public CdsTokenValidatorTests()
    {
        options = new CdsAuthOptions
        {
            Mode = CdsAuthOptions.JwtMode,
            Issuers =
            [
                new TrustedIssuer { Issuer = ehr.Issuer, JwksFile = ehr.WriteJwksFile(TestTokens.RsaJwk(RsaKeyRestrictedToRs256, "rs256-only", "RS256")) },
                new TrustedIssuer { Issuer = otherEhr.Issuer, JwksFile = otherEhr.WriteJwksFile() },
            ],
        };
        validator = NewValidator(options, clock);
    }

    private static RSA RsaKeyRestrictedToRs256 { get; } = RSA.Create(2048);

    internal static CdsTokenValidator NewValidator(CdsAuthOptions options, TimeProvider clock, HttpClient? http = null) =>
        new(options, new IssuerKeyRegistry(options, http ?? new HttpClient(), clock, NullLogger<IssuerKeyRegistry>.Instance),
            new JtiReplayCache(clock, options.ReplayCacheCapacity), clock);

    private Task<TokenValidationOutcome> Validate(string token, string audience = Audience) =>
        validator.ValidateAsync(TestTokens.Bearer(token), audience, CancellationToken.None);

    private async Task AssertFails(TokenFailure expected, string token, string audience = Audience)
    {
        var outcome = await Validate(token, audience);
        Assert.False(outcome.IsValid);
        Assert.Equal(expected, outcome.Failure);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Message));
        foreach (var part in token.Split('.').Where(part => part.Length > 8))
        {
            Assert.DoesNotContain(part, outcome.Message); // The reason never echoes the token.
        }
    }

    [Fact]
    public async Task A_valid_RS384_token_is_accepted_with_its_issuer_subject_tenant_and_jti()
    {
        var token = ehr.Rs384(Audience, Now, claims => claims["jti"] = "jti-rs-1");

        var outcome = await Validate(token);

        Assert.True(outcome.IsValid, outcome.Message);
        Assert.Equal(TokenFailure.None, outcome.Failure);
        Assert.Equal(ehr.Issuer, outcome.Issuer);
        Assert.Equal("ehr-client-7", outcome.Subject);
        Assert.Equal("hospital-1", outcome.Tenant);
        Assert.Equal("jti-rs-1", outcome.Jti);
    }

    [Fact]
    public async Task A_valid_ES384_token_is_accepted()
    {
        var outcome = await Validate(ehr.Es384(Audience, Now));

        Assert.True(outcome.IsValid, outcome.Message);
        Assert.Equal(ehr.Issuer, outcome.Issuer);
    }

    [Fact]
    public async Task The_spec_example_header_with_jku_is_accepted_without_fetching_the_jku()
    {
        var header = TestTokens.Header("ES384", TestTokens.EcKid);
        header["jku"] = "https://attacker.invalid/jwks";

        var outcome = await Validate(ehr.Mint(header, ehr.Claims(Audience, Now)));

        Assert.True(outcome.IsValid, outcome.Message);
    }

    [Fact]
    public async Task Aud_as_an_array_is_accepted_when_it_contains_the_service_url()
    {
        var token = ehr.Rs384(Audience, Now, claims => claims["aud"] = new JsonArray("https://elsewhere.example/x", Audience));

        Assert.True((await Validate(token)).IsValid);
    }

    [Fact]
    public async Task Aud_as_an_array_without_the_service_url_is_a_wrong_audience() =>
        await AssertFails(TokenFailure.WrongAudience,
            ehr.Rs384(Audience, Now, claims => claims["aud"] = new JsonArray("https://elsewhere.example/x")));

    [Theory]
    [InlineData("https://cds.example.org/cds-services/other-service")]
    [InlineData("https://cds.example.org/cds-services/herald-patient-view/")]
    [InlineData("https://cds.example.org/cds-services")]
    [InlineData("http://cds.example.org/cds-services/herald-patient-view")]
    public async Task A_token_for_another_url_is_a_wrong_audience(string audience) =>
        await AssertFails(TokenFailure.WrongAudience, ehr.Rs384(audience, Now));

    [Fact]
    public async Task The_wrong_audience_message_names_the_expected_url_so_integrators_can_fix_it()
    {
        var outcome = await Validate(ehr.Rs384("https://wrong.example/", Now));

        Assert.Contains(Audience, outcome.Message);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("[]")]
    [InlineData("[\"https://cds.example.org/cds-services/herald-patient-view\", 7]")]
    public async Task An_aud_that_is_not_a_string_or_array_of_strings_is_an_invalid_claim(string audJson) =>
        await AssertFails(TokenFailure.InvalidClaim, ehr.Rs384(Audience, Now, claims => claims["aud"] = JsonNode.Parse(audJson)));

    [Fact]
    public async Task No_authorization_header_is_a_missing_token()
    {
        var outcome = await validator.ValidateAsync(null, Audience, CancellationToken.None);

        Assert.Equal(TokenFailure.MissingToken, outcome.Failure);
        Assert.Equal("missing-token", outcome.FailureCode);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("eyJhbGciOiJSUzM4NCJ9.e30.c2ln")]
    public async Task An_authorization_header_that_is_not_a_bearer_token_is_malformed(string header)
    {
        var outcome = await validator.ValidateAsync(header, Audience, CancellationToken.None);

        Assert.Equal(TokenFailure.MalformedHeader, outcome.Failure);
    }

    [Fact]
    public async Task The_bearer_scheme_name_is_case_insensitive()
    {
        var outcome = await validator.ValidateAsync("bearer " + ehr.Rs384(Audience, Now), Audience, CancellationToken.None);

        Assert.True(outcome.IsValid, outcome.Message);
    }

    [Theory]
    [InlineData("onlyonepart")]
    [InlineData("two.parts")]
    [InlineData("a.b.c.d")]
    [InlineData(".eyJ9.sig")]
    public async Task A_token_that_is_not_three_parts_is_malformed(string token) =>
        await AssertFails(TokenFailure.MalformedToken, token);

    [Fact]
    public async Task Padding_or_non_base64url_characters_make_the_token_malformed()
    {
        var token = ehr.Rs384(Audience, Now);
        var parts = token.Split('.');

        await AssertFails(TokenFailure.MalformedToken, parts[0] + "=." + parts[1] + "." + parts[2]);
        await AssertFails(TokenFailure.MalformedToken, parts[0] + "." + parts[1] + "+." + parts[2]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"iss\":\"a\",\"iss\":\"b\"}")]
    public async Task A_payload_that_is_not_one_unambiguous_json_object_is_malformed(string payload)
    {
        var token = ehr.Rs384(Audience, Now);
        var parts = token.Split('.');

        await AssertFails(TokenFailure.MalformedToken,
            parts[0] + "." + TestTokens.B64(System.Text.Encoding.UTF8.GetBytes(payload)) + "." + parts[2]);
    }

    [Fact]
    public async Task A_token_longer_than_the_limit_is_refused_before_parsing()
    {
        var token = ehr.Rs384(Audience, Now, claims => claims["padding"] = new string('x', options.MaxTokenBytes));

        await AssertFails(TokenFailure.TokenTooLarge, token);
    }

    [Fact]
    public async Task A_token_just_under_the_limit_is_accepted()
    {
        var small = new CdsAuthOptions { Mode = "jwt", MaxTokenBytes = 1200, Issuers = options.Issuers };
        var limited = NewValidator(small, clock);
        var token = ehr.Es384(Audience, Now);
        Assert.True(token.Length <= 1200, $"test token is {token.Length} chars");

        var outcome = await limited.ValidateAsync(TestTokens.Bearer(token), Audience, CancellationToken.None);

        Assert.True(outcome.IsValid, outcome.Message);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    public async Task An_unsigned_token_is_refused(string alg) =>
        await AssertFails(TokenFailure.AlgorithmNone, ehr.Mint(TestTokens.Header(alg, TestTokens.RsaKid), ehr.Claims(Audience, Now)));

    [Theory]
    [InlineData("HS256")]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("PS384")]
    [InlineData("rs384")]
    public async Task Any_algorithm_other_than_RS384_or_ES384_is_refused(string alg) =>
        await AssertFails(TokenFailure.UnsupportedAlgorithm, ehr.Mint(TestTokens.Header(alg, TestTokens.RsaKid), ehr.Claims(Audience, Now)));

    [Fact]
    public async Task An_ES384_token_naming_an_RSA_key_is_an_algorithm_key_mismatch() =>
        await AssertFails(TokenFailure.AlgorithmKeyMismatch,
            ehr.Mint(TestTokens.Header("ES384", TestTokens.RsaKid), ehr.Claims(Audience, Now)));

    [Fact]
    public async Task An_RS384_token_naming_an_EC_key_is_an_algorithm_key_mismatch() =>
        await AssertFails(TokenFailure.AlgorithmKeyMismatch,
            ehr.Mint(TestTokens.Header("RS384", TestTokens.EcKid), ehr.Claims(Audience, Now)));

    [Fact]
    public async Task An_RS384_token_naming_a_key_restricted_to_RS256_is_an_algorithm_key_mismatch() =>
        await AssertFails(TokenFailure.AlgorithmKeyMismatch,
            ehr.Mint(TestTokens.Header("RS384", "rs256-only"), ehr.Claims(Audience, Now), rsa: RsaKeyRestrictedToRs256));

    [Theory]
    [InlineData("{\"alg\":\"RS384\",\"kid\":\"ehr-rsa-1\"}")]
    [InlineData("{\"alg\":\"RS384\",\"typ\":\"JOSE+JSON\",\"kid\":\"ehr-rsa-1\"}")]
    [InlineData("{\"alg\":\"RS384\",\"typ\":\"JWT\"}")]
    [InlineData("{\"alg\":\"RS384\",\"typ\":\"JWT\",\"kid\":\"\"}")]
    [InlineData("{\"alg\":\"RS384\",\"typ\":\"JWT\",\"kid\":\"ehr-rsa-1\",\"crit\":[\"exp\"]}")]
    [InlineData("{\"typ\":\"JWT\",\"kid\":\"ehr-rsa-1\"}")]
    public async Task A_header_without_typ_JWT_or_kid_or_with_crit_is_invalid(string headerJson) =>
        await AssertFails(TokenFailure.InvalidHeader, ehr.Mint(JsonNode.Parse(headerJson)!.AsObject(), ehr.Claims(Audience, Now)));

    [Fact]
    public async Task A_token_from_an_unconfigured_issuer_is_refused()
    {
        using var stranger = new TestTokens("https://unknown-ehr.example.com");

        await AssertFails(TokenFailure.UnknownIssuer, stranger.Rs384(Audience, Now));
    }

    [Fact]
    public async Task A_trusted_issuer_with_a_kid_it_never_published_is_an_unknown_key() =>
        await AssertFails(TokenFailure.UnknownKey,
            ehr.Mint(TestTokens.Header("RS384", "never-published"), ehr.Claims(Audience, Now)));

    [Fact]
    public async Task A_token_signed_by_another_key_under_a_trusted_kid_has_a_bad_signature()
    {
        var forger = new TestTokens("https://forger.invalid").Rsa;

        await AssertFails(TokenFailure.InvalidSignature,
            ehr.Mint(TestTokens.Header("RS384", TestTokens.RsaKid), ehr.Claims(Audience, Now), rsa: forger));
    }

    [Fact]
    public async Task An_ES384_token_signed_by_another_key_has_a_bad_signature()
    {
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        await AssertFails(TokenFailure.InvalidSignature,
            ehr.Mint(TestTokens.Header("ES384", TestTokens.EcKid), ehr.Claims(Audience, Now), ec: forger));
    }

    [Fact]
    public async Task Changing_a_claim_after_signing_breaks_the_signature()
    {
        var claims = ehr.Claims(Audience, Now);
        var token = ehr.Mint(TestTokens.Header("RS384", TestTokens.RsaKid), claims);
        claims["sub"] = "someone-else";

        await AssertFails(TokenFailure.InvalidSignature, TestTokens.WithPayload(token, claims));
    }

    [Fact]
    public async Task A_DER_encoded_ES384_signature_is_refused()
    {
        var token = ehr.Es384(Audience, Now);
        var parts = token.Split('.');
        var der = ehr.Ec.SignData(System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), HashAlgorithmName.SHA384,
            DSASignatureFormat.Rfc3279DerSequence);

        await AssertFails(TokenFailure.InvalidSignature, parts[0] + "." + parts[1] + "." + TestTokens.B64(der));
    }

    [Fact]
    public async Task A_token_of_another_trusted_issuer_signed_with_the_first_issuers_key_is_refused()
    {
        // otherEhr publishes its own key under the same kid name; a token claiming to be otherEhr but signed by ehr fails.
        var claims = ehr.Claims(Audience, Now);
        claims["iss"] = otherEhr.Issuer;

        await AssertFails(TokenFailure.InvalidSignature, ehr.Mint(TestTokens.Header("RS384", TestTokens.RsaKid), claims));
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("aud")]
    [InlineData("exp")]
    [InlineData("iat")]
    [InlineData("jti")]
    public async Task A_token_lacking_a_required_claim_is_refused_naming_it(string claim)
    {
        var token = ehr.Rs384(Audience, Now, claims => claims.Remove(claim));

        var outcome = await Validate(token);

        Assert.Equal(TokenFailure.MissingClaim, outcome.Failure);
        Assert.Contains($"'{claim}'", outcome.Message);
    }

    [Theory]
    [InlineData("exp", "\"tomorrow\"")]
    [InlineData("iat", "-5")]
    [InlineData("jti", "12")]
    [InlineData("jti", "\"\"")]
    [InlineData("iss", "[\"https://ehr.example.org\"]")]
    [InlineData("tenant", "{}")]
    [InlineData("sub", "7")]
    public async Task A_claim_of_the_wrong_type_is_invalid(string claim, string json)
    {
        var token = ehr.Rs384(Audience, Now, claims => claims[claim] = JsonNode.Parse(json));

        var outcome = await Validate(token);

        Assert.Equal(TokenFailure.InvalidClaim, outcome.Failure);
    }

    [Fact]
    public async Task Exp_is_honoured_up_to_the_clock_skew_and_not_at_it()
    {
        var exp = Now.AddMinutes(5);
        var token1 = ehr.Rs384(Audience, Now);
        var token2 = ehr.Rs384(Audience, Now);

        clock.Now = exp + options.ClockSkew - TimeSpan.FromSeconds(1);
        Assert.True((await Validate(token1)).IsValid);

        clock.Now = exp + options.ClockSkew;
        await AssertFails(TokenFailure.Expired, token2);
    }

    [Fact]
    public async Task An_expired_token_is_refused() =>
        await AssertFails(TokenFailure.Expired, ehr.Rs384(Audience, Now.AddHours(-1)));

    [Fact]
    public async Task Iat_in_the_future_is_tolerated_up_to_the_clock_skew()
    {
        var atSkew = ehr.Rs384(Audience, Now, claims => claims["iat"] = (Now + options.ClockSkew).ToUnixTimeSeconds());
        var beyondSkew = ehr.Rs384(Audience, Now, claims => claims["iat"] = (Now + options.ClockSkew).ToUnixTimeSeconds() + 1);

        Assert.True((await Validate(atSkew)).IsValid);
        await AssertFails(TokenFailure.IssuedInFuture, beyondSkew);
    }

    [Fact]
    public async Task Fractional_numeric_dates_are_accepted()
    {
        var token = ehr.Rs384(Audience, Now, claims => claims["iat"] = Now.ToUnixTimeSeconds() + 0.25);

        Assert.True((await Validate(token)).IsValid);
    }

    [Fact]
    public async Task Nbf_beyond_the_skew_is_not_yet_valid()
    {
        var token = ehr.Rs384(Audience, Now, claims => claims["nbf"] = Now.AddMinutes(3).ToUnixTimeSeconds());

        await AssertFails(TokenFailure.NotYetValid, token);
    }

    [Fact]
    public async Task Exp_before_iat_is_invalid()
    {
        // Both within tolerance on their own (exp ahead of now, iat inside the skew), but inconsistent together.
        var token = ehr.Rs384(Audience, Now, claims =>
        {
            claims["iat"] = Now.AddSeconds(40).ToUnixTimeSeconds();
            claims["exp"] = Now.AddSeconds(30).ToUnixTimeSeconds();
        });

        await AssertFails(TokenFailure.InvalidClaim, token);
    }

    [Fact]
    public async Task A_lifetime_over_the_maximum_is_refused()
    {
        var token = ehr.Rs384(Audience, Now, claims => claims["exp"] = (Now + options.MaxTokenLifetime).ToUnixTimeSeconds() + 1);

        await AssertFails(TokenFailure.LifetimeTooLong, token);
    }

    [Fact]
    public async Task The_same_token_sent_twice_is_a_replay()
    {
        var token = ehr.Rs384(Audience, Now);

        Assert.True((await Validate(token)).IsValid);
        await AssertFails(TokenFailure.Replayed, token);
    }

    [Fact]
    public async Task A_new_token_reusing_a_jti_of_the_same_issuer_is_a_replay()
    {
        var first = ehr.Rs384(Audience, Now, claims => claims["jti"] = "dup");
        var second = ehr.Es384(Audience, Now.AddSeconds(10), claims => claims["jti"] = "dup");

        Assert.True((await Validate(first)).IsValid);
        await AssertFails(TokenFailure.Replayed, second);
    }

    [Fact]
    public async Task Jti_values_are_remembered_per_issuer()
    {
        var first = ehr.Rs384(Audience, Now, claims => claims["jti"] = "shared-jti");
        var second = otherEhr.Rs384(Audience, Now, claims => claims["jti"] = "shared-jti");

        Assert.True((await Validate(first)).IsValid);
        Assert.True((await Validate(second)).IsValid);
    }

    [Fact]
    public async Task A_forged_token_does_not_burn_the_jti_of_a_genuine_one()
    {
        var forger = new TestTokens("https://forger.invalid").Rsa;
        var claims = ehr.Claims(Audience, Now);
        var forged = ehr.Mint(TestTokens.Header("RS384", TestTokens.RsaKid), claims, rsa: forger);
        var genuine = ehr.Mint(TestTokens.Header("RS384", TestTokens.RsaKid), claims);

        await AssertFails(TokenFailure.InvalidSignature, forged);
        Assert.True((await Validate(genuine)).IsValid);
    }

    [Fact]
    public async Task A_token_refused_for_its_audience_can_still_be_used_at_its_own_service()
    {
        var token = ehr.Rs384(Audience, Now);

        await AssertFails(TokenFailure.WrongAudience, token, "https://cds.example.org/cds-services/other");
        Assert.True((await Validate(token)).IsValid);
    }

    public void Dispose()
    {
        ehr.Dispose();
        otherEhr.Dispose();
    }
}
