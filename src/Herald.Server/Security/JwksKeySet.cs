using System.Security.Cryptography;
using System.Text.Json;
using ECDsaSecurityKey = Microsoft.IdentityModel.Tokens.ECDsaSecurityKey;
using RsaSecurityKey = Microsoft.IdentityModel.Tokens.RsaSecurityKey;
using SecurityKey = Microsoft.IdentityModel.Tokens.SecurityKey;

namespace Herald.Server.Security;

/// <summary>A JWKS document did not hold usable keys; the message names the key and the fault.</summary>
public sealed class JwksFormatException(string message) : Exception(message);

/// <summary>The kinds of public key Herald can verify signatures with.</summary>
public enum JwkKeyType
{
    Rsa,
    EcP384,
}

/// <summary>
/// One public signing key from a JWK Set (RFC 7517), checked by Herald's key policy (below) and handed to
/// Microsoft.IdentityModel, which verifies signatures with it.
/// </summary>
public sealed class JsonWebKey
{
    private JsonWebKey(string kid, string? alg, JwkKeyType keyType, RSAParameters rsa, ECParameters ec)
    {
        Kid = kid;
        Alg = alg;
        KeyType = keyType;
        SecurityKey = keyType == JwkKeyType.Rsa
            ? new RsaSecurityKey(rsa) { KeyId = kid }
            : new ECDsaSecurityKey(ECDsa.Create(ec)) { KeyId = kid };
    }

    /// <summary>The key as Microsoft.IdentityModel verifies signatures with it.</summary>
    public SecurityKey SecurityKey { get; }

    /// <summary>Whether the key may sign tokens of <paramref name="alg"/>: its type fits, and its own alg, if any, is the same.</summary>
    public bool Fits(string alg) => VerifiableAlgorithm == alg && (Alg is null || Alg == alg);

    public string Kid { get; }

    /// <summary>The algorithm the key is restricted to, when the JWK names one.</summary>
    public string? Alg { get; }

    public JwkKeyType KeyType { get; }

    /// <summary>The signature algorithm this key can verify: RS384 for RSA keys, ES384 for P-384 keys.</summary>
    public string VerifiableAlgorithm => KeyType == JwkKeyType.Rsa ? JwsAlgorithms.RS384 : JwsAlgorithms.ES384;

    internal static JsonWebKey FromRsa(string kid, string? alg, RSAParameters parameters) =>
        new(kid, alg, JwkKeyType.Rsa, parameters, default);

    internal static JsonWebKey FromEcP384(string kid, string? alg, ECParameters parameters) =>
        new(kid, alg, JwkKeyType.EcP384, default, parameters);
}

/// <summary>The JWS algorithms CDS Hooks recommends and Herald accepts.</summary>
public static class JwsAlgorithms
{
    public const string RS384 = "RS384";
    public const string ES384 = "ES384";
}

/// <summary>
/// A parsed JWK Set. RSA and EC P-384 signing keys are kept; keys of other types or curves, and keys marked
/// for encryption, are skipped; a usable-looking key that is malformed makes the whole document fail with a clear message.
/// </summary>
public sealed class JwksKeySet
{
    private const int MinimumRsaBits = 2048;
    private const int P384CoordinateBytes = 48;
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    private readonly Dictionary<string, JsonWebKey> byKid;

    private JwksKeySet(Dictionary<string, JsonWebKey> byKid) => this.byKid = byKid;

    public IReadOnlyCollection<JsonWebKey> Keys => byKid.Values;

    public bool TryFind(string kid, out JsonWebKey key) => byKid.TryGetValue(kid, out key!);

    public static JwksKeySet Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new JwksFormatException($"The JWKS is not valid JSON ({e.Message}).");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array)
            {
                throw new JwksFormatException("The JWKS must be a JSON object with a \"keys\" array.");
            }

            var byKid = new Dictionary<string, JsonWebKey>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in keys.EnumerateArray())
            {
                var key = ParseKey(element, $"keys[{index}]");
                if (key is not null && !byKid.TryAdd(key.Kid, key))
                {
                    throw new JwksFormatException($"keys[{index}]: kid '{key.Kid}' appears more than once.");
                }
                index++;
            }
            return new JwksKeySet(byKid);
        }
    }

    private static JsonWebKey? ParseKey(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JwksFormatException($"{where}: a key must be a JSON object.");
        }
        var kty = OptionalString(element, "kty", where)
            ?? throw new JwksFormatException($"{where}: the key lacks \"kty\".");
        if (kty is not ("RSA" or "EC"))
        {
            return null; // Symmetric (oct) and other key types cannot identify a CDS client.
        }
        var use = OptionalString(element, "use", where);
        if (use is not null && use != "sig")
        {
            return null;
        }
        if (kty == "EC")
        {
            var crv = OptionalString(element, "crv", where)
                ?? throw new JwksFormatException($"{where}: the EC key lacks \"crv\".");
            if (crv != "P-384")
            {
                return null; // Only ES384 (P-384) is accepted.
            }
        }

        var kid = OptionalString(element, "kid", where);
        if (string.IsNullOrEmpty(kid))
        {
            throw new JwksFormatException($"{where}: the key lacks \"kid\"; tokens name their key by kid.");
        }
        var described = $"{where} (kid '{kid}')";
        foreach (var member in PrivateMembers)
        {
            if (element.TryGetProperty(member, out _))
            {
                throw new JwksFormatException($"{described}: the key contains private key material (\"{member}\"); publish public keys only.");
            }
        }
        var alg = OptionalString(element, "alg", described);

        return kty == "RSA" ? ParseRsa(element, kid, alg, described) : ParseEc(element, kid, alg, described);
    }

    private static JsonWebKey ParseRsa(JsonElement element, string kid, string? alg, string described)
    {
        var n = RequiredBytes(element, "n", described);
        var e = RequiredBytes(element, "e", described);
        var modulus = n.AsSpan().TrimStart((byte)0).ToArray();
        if (modulus.Length * 8 < MinimumRsaBits)
        {
            throw new JwksFormatException($"{described}: the RSA modulus has {modulus.Length * 8} bits; at least {MinimumRsaBits} are required.");
        }
        if (e.Length is 0 or > 8 || (e[^1] & 1) == 0)
        {
            throw new JwksFormatException($"{described}: the RSA exponent \"e\" is not a valid public exponent.");
        }
        var parameters = new RSAParameters { Modulus = modulus, Exponent = e };
        try
        {
            using var probe = RSA.Create(parameters);
        }
        catch (CryptographicException)
        {
            throw new JwksFormatException($"{described}: the RSA parameters do not form a valid public key.");
        }
        return JsonWebKey.FromRsa(kid, alg, parameters);
    }

    private static JsonWebKey ParseEc(JsonElement element, string kid, string? alg, string described)
    {
        var x = RequiredBytes(element, "x", described);
        var y = RequiredBytes(element, "y", described);
        if (x.Length != P384CoordinateBytes || y.Length != P384CoordinateBytes)
        {
            throw new JwksFormatException($"{described}: P-384 coordinates \"x\" and \"y\" must be {P384CoordinateBytes} bytes each.");
        }
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP384,
            Q = new ECPoint { X = x, Y = y },
        };
        try
        {
            using var probe = ECDsa.Create(parameters); // Refuses points that are not on the curve.
        }
        catch (CryptographicException)
        {
            throw new JwksFormatException($"{described}: \"x\" and \"y\" are not a point on P-384.");
        }
        return JsonWebKey.FromEcP384(kid, alg, parameters);
    }

    private static string? OptionalString(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new JwksFormatException($"{where}: \"{name}\" must be a string.");
    }

    private static byte[] RequiredBytes(JsonElement element, string name, string described)
    {
        var text = OptionalString(element, name, described)
            ?? throw new JwksFormatException($"{described}: the key lacks \"{name}\".");
        return Base64UrlText.TryDecode(text, out var bytes) && bytes.Length > 0
            ? bytes
            : throw new JwksFormatException($"{described}: \"{name}\" is not base64url.");
    }
}
