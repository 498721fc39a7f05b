using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Herald.Server.Security;

namespace Herald.Server.Tests.Security;

public sealed class JwksKeySetTests
{
    private readonly TestTokens ehr = new();

    private static string Jwks(params JsonNode[] keys) => new JsonObject { ["keys"] = new JsonArray(keys) }.ToJsonString();

    private static JwksFormatException Rejected(string json) => Assert.Throws<JwksFormatException>(() => JwksKeySet.Parse(json));

    [Fact]
    public void RSA_and_EC_P384_keys_are_found_by_kid_with_their_types()
    {
        var set = JwksKeySet.Parse(ehr.JwksJson());

        Assert.True(set.TryFind(TestTokens.RsaKid, out var rsa));
        Assert.Equal(JwkKeyType.Rsa, rsa.KeyType);
        Assert.Equal("RS384", rsa.Alg);
        Assert.True(set.TryFind(TestTokens.EcKid, out var ec));
        Assert.Equal(JwkKeyType.EcP384, ec.KeyType);
        Assert.Equal("ES384", ec.VerifiableAlgorithm);
        Assert.False(set.TryFind("absent", out _));
    }

    [Fact]
    public void The_spec_example_jwks_parses()
    {
        // The public key from the CDS Hooks 2.0 security section's example.
        const string example = """
            {"keys":[{"kty":"EC","use":"sig","crv":"P-384","kid":"example-kid",
              "x":"46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk",
              "y":"XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI","alg":"ES384"}]}
            """;

        Assert.True(JwksKeySet.Parse(example).TryFind("example-kid", out var key));
        Assert.Equal(JwkKeyType.EcP384, key.KeyType);
    }

    [Fact]
    public void Symmetric_other_type_other_curve_and_encryption_keys_are_skipped()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p256Jwk = TestTokens.EcJwk(ehr.Ec, "p256", "ES256");
        var p256Params = p256.ExportParameters(false);
        p256Jwk["crv"] = "P-256";
        p256Jwk["x"] = TestTokens.B64(p256Params.Q.X!);
        p256Jwk["y"] = TestTokens.B64(p256Params.Q.Y!);
        var encryption = TestTokens.RsaJwk(ehr.Rsa, "enc-key", null);
        encryption["use"] = "enc";

        var set = JwksKeySet.Parse(Jwks(
            new JsonObject { ["kty"] = "oct", ["kid"] = "hmac", ["k"] = "c2VjcmV0" },
            new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["kid"] = "ed", ["x"] = "AAAA" },
            p256Jwk,
            encryption,
            TestTokens.RsaJwk(ehr.Rsa, "kept")));

        Assert.Equal(["kept"], set.Keys.Select(key => key.Kid));
    }

    [Fact]
    public void An_empty_key_list_parses_to_no_keys() => Assert.Empty(JwksKeySet.Parse("{\"keys\":[]}").Keys);

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"keys\":{}}")]
    [InlineData("{\"keys\":[42]}")]
    [InlineData("{\"keys\":[{\"kid\":\"x\"}]}")]
    [InlineData("{\"keys\":[{\"kty\":7}]}")]
    public void A_document_that_is_not_a_jwk_set_is_rejected(string json) => Rejected(json);

    [Theory]
    [InlineData("n")]
    [InlineData("e")]
    public void An_RSA_key_without_its_parameters_is_rejected_naming_the_member(string member)
    {
        var key = TestTokens.RsaJwk(ehr.Rsa, "k");
        key.Remove(member);

        var error = Rejected(Jwks(key));

        Assert.Contains($"\"{member}\"", error.Message);
        Assert.Contains("keys[0] (kid 'k')", error.Message);
    }

    [Fact]
    public void An_RSA_key_under_2048_bits_is_rejected()
    {
        using var weak = RSA.Create(1024);

        Assert.Contains("2048", Rejected(Jwks(TestTokens.RsaJwk(weak, "weak"))).Message);
    }

    [Fact]
    public void An_RSA_key_with_an_even_exponent_is_rejected()
    {
        var key = TestTokens.RsaJwk(ehr.Rsa, "k");
        key["e"] = "AQAC";

        Assert.Contains("exponent", Rejected(Jwks(key)).Message);
    }

    [Fact]
    public void A_parameter_that_is_not_base64url_is_rejected()
    {
        var key = TestTokens.RsaJwk(ehr.Rsa, "k");
        key["n"] = "not base64url!";

        Assert.Contains("base64url", Rejected(Jwks(key)).Message);
    }

    [Fact]
    public void An_EC_coordinate_of_the_wrong_length_is_rejected()
    {
        var key = TestTokens.EcJwk(ehr.Ec, "k");
        key["x"] = TestTokens.B64(new byte[47]);

        Assert.Contains("48 bytes", Rejected(Jwks(key)).Message);
    }

    [Fact]
    public void An_EC_point_off_the_curve_is_rejected()
    {
        var key = TestTokens.EcJwk(ehr.Ec, "k");
        var y = ehr.Ec.ExportParameters(false).Q.Y!;
        y[^1] ^= 1;
        key["y"] = TestTokens.B64(y);

        Assert.Contains("not a point on P-384", Rejected(Jwks(key)).Message);
    }

    [Fact]
    public void An_EC_key_without_a_curve_is_rejected()
    {
        var key = TestTokens.EcJwk(ehr.Ec, "k");
        key.Remove("crv");

        Assert.Contains("crv", Rejected(Jwks(key)).Message);
    }

    [Theory]
    [InlineData("d")]
    [InlineData("p")]
    [InlineData("qi")]
    public void A_key_carrying_private_material_is_rejected(string member)
    {
        var key = TestTokens.RsaJwk(ehr.Rsa, "k");
        key[member] = "AQAB";

        Assert.Contains("private key material", Rejected(Jwks(key)).Message);
    }

    [Fact]
    public void A_key_without_kid_is_rejected()
    {
        var key = TestTokens.EcJwk(ehr.Ec, "k");
        key.Remove("kid");

        Assert.Contains("kid", Rejected(Jwks(key)).Message);
    }

    [Fact]
    public void A_kid_used_twice_is_rejected()
    {
        var error = Rejected(Jwks(TestTokens.RsaJwk(ehr.Rsa, "same"), TestTokens.EcJwk(ehr.Ec, "same")));

        Assert.Contains("more than once", error.Message);
    }

    [Fact]
    public void Error_messages_never_contain_key_material()
    {
        var key = TestTokens.RsaJwk(ehr.Rsa, "k");
        key["d"] = "c2VjcmV0LXByaXZhdGUtZXhwb25lbnQ";

        Assert.DoesNotContain("c2VjcmV0", Rejected(Jwks(key)).Message);
    }
}
