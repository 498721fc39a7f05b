using Microsoft.AspNetCore.Http;

namespace Herald.Server.Security;

/// <summary>
/// The audience (aud) a request's token must name. Which requests need a token at all is decided by the endpoints
/// themselves: all of them unless marked <c>.AllowAnonymous()</c> (the fallback authorization policy).
/// </summary>
public static class CdsAudience
{
    private const string ServicesRoot = "/cds-services";

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
