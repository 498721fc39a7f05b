using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Security;

namespace Herald.Server.Tests.Security;

/// <summary>
/// A test CDS client (EHR): an RSA-2048 key and an EC P-384 key, their JWKS (in memory or as a temp file),
/// and tokens minted with any header and claims — including the bad ones (alg none, wrong alg, expired, wrong aud,
/// unknown iss, replays, bad signatures). Reusable by the server tests.
/// </summary>
public sealed class TestTokens : IDisposable
{
    public const string DefaultIssuer = "https://ehr.example.org";
    public const string RsaKid = "ehr-rsa-1";
    public const string EcKid = "ehr-ec-1";

    private readonly List<string> files = [];

    // RSA key generation is slow; each issuer name gets its keys once per test run.
    private static readonly ConcurrentDictionary<string, (RSA Rsa, ECDsa Ec)> KeysByIssuer = new();

    public TestTokens(string issuer = DefaultIssuer)
    {
        Issuer = issuer;
        (Rsa, Ec) = KeysByIssuer.GetOrAdd(issuer, _ => (RSA.Create(2048), ECDsa.Create(ECCurve.NamedCurves.nistP384)));
    }

    public string Issuer { get; }
    public RSA Rsa { get; }
    public ECDsa Ec { get; }

    /// <summary>{"keys": [the RSA key, the EC key, ...extra]} with public parameters only.</summary>
    public string JwksJson(params JsonObject[] extraKeys)
    {
        var keys = new JsonArray(RsaJwk(Rsa, RsaKid), EcJwk(Ec, EcKid));
        foreach (var key in extraKeys)
        {
            keys.Add(key);
        }
        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }

    /// <summary>Writes <see cref="JwksJson"/> to a temp file, deleted on dispose.</summary>
    public string WriteJwksFile(params JsonObject[] extraKeys) => WriteTempFile(JwksJson(extraKeys));

    public string WriteTempFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"herald-jwks-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        files.Add(path);
        return path;
    }

    public static JsonObject RsaJwk(RSA rsa, string kid, string? alg = JwsAlgorithms.RS384)
    {
        var p = rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        if (alg is not null)
        {
            jwk["alg"] = alg;
        }
        return jwk;
    }

    public static JsonObject EcJwk(ECDsa ec, string kid, string? alg = JwsAlgorithms.ES384)
    {
        var p = ec.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject { ["kty"] = "EC", ["crv"] = "P-384", ["kid"] = kid, ["use"] = "sig", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        if (alg is not null)
        {
            jwk["alg"] = alg;
        }
        return jwk;
    }

    /// <summary>The claims a well-behaved EHR sends: 5-minute lifetime, fresh jti, a sub and a tenant.</summary>
    public JsonObject Claims(string audience, DateTimeOffset now) => new()
    {
        ["iss"] = Issuer,
        ["sub"] = "ehr-client-7",
        ["aud"] = audience,
        ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["jti"] = Guid.NewGuid().ToString(),
        ["tenant"] = "hospital-1",
    };

    public static JsonObject Header(string alg, string kid) => new() { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid };

    public string Rs384(string audience, DateTimeOffset now, Action<JsonObject>? editClaims = null) =>
        Mint(Header(JwsAlgorithms.RS384, RsaKid), Edited(Claims(audience, now), editClaims));

    public string Es384(string audience, DateTimeOffset now, Action<JsonObject>? editClaims = null) =>
        Mint(Header(JwsAlgorithms.ES384, EcKid), Edited(Claims(audience, now), editClaims));

    /// <summary>
    /// Signs header.payload according to the header's alg: RS384 and RS256 with <paramref name="rsa"/> (default: this
    /// client's key), ES384 with <paramref name="ec"/>, HS256 with a made-up secret, "none" with an empty signature.
    /// </summary>
    public string Mint(JsonObject header, JsonObject claims, RSA? rsa = null, ECDsa? ec = null)
    {
        var signingInput = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var data = Encoding.ASCII.GetBytes(signingInput);
        var alg = header["alg"]?.GetValue<string>();
        byte[] signature = alg switch
        {
            "RS384" => (rsa ?? Rsa).SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "RS256" => (rsa ?? Rsa).SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "ES384" => (ec ?? Ec).SignData(data, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            "HS256" => HMACSHA256.HashData(Encoding.UTF8.GetBytes("shared-secret"), data),
            _ => [],
        };
        return signingInput + "." + B64(signature);
    }

    public static string Bearer(string token) => "Bearer " + token;

    /// <summary>The same token with one claim changed after signing, so the signature no longer matches.</summary>
    public static string WithPayload(string token, JsonObject claims)
    {
        var parts = token.Split('.');
        return parts[0] + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString())) + "." + parts[2];
    }

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static JsonObject Edited(JsonObject claims, Action<JsonObject>? edit)
    {
        edit?.Invoke(claims);
        return claims;
    }

    public void Dispose()
    {
        foreach (var file in files)
        {
            File.Delete(file);
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
