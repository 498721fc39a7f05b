using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Herald.Server.Page;

/// <summary>
/// The clinician's page: <c>index.html</c> and the files under <c>app/</c>, compiled into the assembly so that every
/// byte the browser needs comes from Herald (no CDN, no dependence on the working directory). Read once at start.
/// </summary>
public sealed class PageAssets
{
    private const string Prefix = "Web/";

    // A strict policy: only Herald's own scripts, styles and images, no inline code, never framed.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private readonly FrozenDictionary<string, PageAsset> assets;

    public PageAssets() : this(typeof(PageAssets).Assembly)
    {
    }

    internal PageAssets(Assembly assembly)
    {
        var found = new Dictionary<string, PageAsset>(StringComparer.Ordinal);
        foreach (var (path, bytes) in EmbeddedFiles.Read(assembly, Prefix))
        {
            if (ContentTypeOf(path) is { } contentType)
            {
                var etag = "\"" + Convert.ToHexString(SHA256.HashData(bytes), 0, 8).ToLowerInvariant() + "\"";
                found[path] = new PageAsset(bytes, contentType, etag);
            }
        }

        assets = found.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Paths => assets.Keys;

    public PageAsset? Find(string path) => assets.TryGetValue(path, out var asset) ? asset : null;

    // Only the kinds of file the page is made of; source files (.cs) that share the folder are never served.
    private static string? ContentTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".json" => "application/json",
        ".txt" => "text/plain; charset=utf-8",
        _ => null,
    };
}

public sealed record PageAsset(byte[] Bytes, string ContentType, string ETag);
