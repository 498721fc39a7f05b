using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

// A test EHR for the replicas' load run: the JWK Set the servers trust, and tokens as an EHR mints them (CDS Hooks 2.0:
// RS384, typ JWT, a kid, iss, aud the service URL, iat, exp, a fresh jti each). Never a production key: it lives for one run.
if (args.Length != 5 || !int.TryParse(args[3], out var count) || count < 1 || !int.TryParse(args[4], out var lifetime) || lifetime < 1)
{
    Console.Error.WriteLine("usage: Herald.TokenMint <output-directory> <issuer> <audience> <count> <lifetime-seconds>");
    return 2;
}

var (directory, issuer, audience) = (args[0], args[1], args[2]);
Directory.CreateDirectory(directory);
const string Kid = "bench-rsa-1";

using var rsa = RSA.Create(2048);
var parameters = rsa.ExportParameters(includePrivateParameters: false);
var jwks = new JsonObject
{
    ["keys"] = new JsonArray(new JsonObject
    {
        ["kty"] = "RSA", ["kid"] = Kid, ["use"] = "sig", ["alg"] = "RS384",
        ["n"] = Base64Url(parameters.Modulus!), ["e"] = Base64Url(parameters.Exponent!),
    }),
};
File.WriteAllText(Path.Combine(directory, "jwks.json"), jwks.ToJsonString());

var header = Base64Url(Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = "RS384", ["typ"] = "JWT", ["kid"] = Kid }.ToJsonString()));
var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
var privateKey = rsa.ExportRSAPrivateKey();
var tokens = new string[count];
var clock = Stopwatch.StartNew();

// One key object per thread: signing is the slow part (about 1 ms per token).
Parallel.For(0, count, () => { var key = RSA.Create(); key.ImportRSAPrivateKey(privateKey, out _); return key; }, (i, _, key) =>
{
    var claims = new JsonObject
    {
        ["iss"] = issuer, ["aud"] = audience, ["sub"] = "bench-client", ["iat"] = now, ["exp"] = now + lifetime,
        ["jti"] = Guid.NewGuid().ToString(),
    };
    var signingInput = header + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
    var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
    tokens[i] = signingInput + "." + Base64Url(signature);
    return key;
}, key => key.Dispose());

File.WriteAllLines(Path.Combine(directory, "tokens.txt"), tokens);
Console.Error.WriteLine($"Herald.TokenMint: {count} tokens for {audience} in {clock.Elapsed.TotalSeconds:0.0} s");
return 0;

static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
