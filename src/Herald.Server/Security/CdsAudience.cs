using Microsoft.AspNetCore.Http;

namespace Herald.Server.Security;

/// <summary>
/// Which requests need a caller, and the audience (aud) their token must name. Protected by default: only
/// discovery (GET /cds-services), GET /health, the page and its assets (GET /, /app/*), and the reference data
/// the page browses (GET /api/knowledge, /api/examples) are open: none of them holds or returns patient data.
/// A route added later cannot be left open by mistake.
/// </summary>
public static class CdsAudience
{
    private const string ServicesRoot = "/cds-services";

    public static bool IsOpen(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }
        var raw = request.Path.Value ?? "";
        if (raw == "/")
        {
            return true;
        }

        var path = raw.TrimEnd('/');
        return path is ServicesRoot or "/health" or "/api/knowledge" or "/api/examples"
            || IsSingleSegmentUnder(path, "/app/")
            || IsSingleSegmentUnder(path, "/api/examples/");
    }

    private static bool IsSingleSegmentUnder(string path, string root) =>
        path.StartsWith(root, StringComparison.Ordinal) && path.Length > root.Length && path.IndexOf('/', root.Length) < 0;

    /// <summary>
    /// <c>{base}/cds-services/{id}</c> for a service call and for its feedback (the service's URL, as CDS Hooks
    /// says aud is "the CDS Service endpoint"); for any other route, <c>{base}{path}</c> without the query.
    /// The base is <paramref name="publicBaseUrl"/> when set, else the request's scheme, host and path base.
    /// </summary>
    public static string Expected(HttpRequest request, string? publicBaseUrl)
    {
        var baseUrl = BaseUrl(request, publicBaseUrl);
        var path = request.Path.Value ?? "";
        if (path.StartsWith(ServicesRoot + "/", StringComparison.Ordinal))
        {
            var segments = path[(ServicesRoot.Length + 1)..].Split('/');
            if (segments.Length == 1 || (segments.Length == 2 && segments[1] == "feedback"))
            {
                return baseUrl + new PathString($"{ServicesRoot}/{segments[0]}").ToUriComponent();
            }
        }
        return baseUrl + request.Path.ToUriComponent();
    }

    /// <summary>
    /// The audiences a token may name: <see cref="Expected"/>, and for routes outside <c>/cds-services</c> also
    /// Herald's base URL (a session token), so that one token serves the page's calls to the REST API and the audit
    /// log. A CDS Hooks service call still needs a single-use token minted for that service.
    /// </summary>
    public static AudienceRule Rule(HttpRequest request, string? publicBaseUrl)
    {
        var expected = Expected(request, publicBaseUrl);
        var path = request.Path.Value ?? "";
        var isCdsService = path == ServicesRoot || path.StartsWith(ServicesRoot + "/", StringComparison.Ordinal);
        return new AudienceRule(expected, isCdsService ? null : BaseUrl(request, publicBaseUrl));
    }

    private static string BaseUrl(HttpRequest request, string? publicBaseUrl) =>
        string.IsNullOrWhiteSpace(publicBaseUrl)
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}"
            : publicBaseUrl.TrimEnd('/');
}
