using Microsoft.AspNetCore.Http;

namespace Herald.Server.Security;

/// <summary>
/// Which requests need a caller, and the audience (aud) their token must name. Protected by default: only
/// discovery (GET /cds-services) and GET /health are open, so a route added later cannot be left open by mistake.
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
        var path = (request.Path.Value ?? "").TrimEnd('/');
        return path is ServicesRoot or "/health";
    }

    /// <summary>
    /// <c>{base}/cds-services/{id}</c> for a service call and for its feedback (the service's URL, as CDS Hooks
    /// says aud is "the CDS Service endpoint"); for any other route, <c>{base}{path}</c> without the query.
    /// The base is <paramref name="publicBaseUrl"/> when set, else the request's scheme, host and path base.
    /// </summary>
    public static string Expected(HttpRequest request, string? publicBaseUrl)
    {
        var baseUrl = string.IsNullOrWhiteSpace(publicBaseUrl)
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}"
            : publicBaseUrl.TrimEnd('/');
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
}
