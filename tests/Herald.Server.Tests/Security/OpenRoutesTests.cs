using System.Net;
using Herald.Server.Tests.Endpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Security;

/// <summary>
/// Which routes need a caller is the endpoints' own metadata: all of them (the fallback authorization policy) except the
/// few marked AllowAnonymous, none of which holds or returns patient data (/metrics: docs/security.md#metrics).
/// </summary>
public sealed class OpenRoutesTests : IDisposable
{
    private readonly TestTokens ehr = new();
    private readonly HeraldHost host;

    public OpenRoutesTests() => host = new HeraldHost(new DateOnly(2026, 3, 1), new Dictionary<string, string?>
    {
        ["Herald:Auth:Mode"] = "jwt",
        ["Herald:Auth:Issuers:0:Issuer"] = ehr.Issuer,
        ["Herald:Auth:Issuers:0:JwksFile"] = ehr.WriteJwksFile(),
    });

    public void Dispose()
    {
        host.Dispose();
        ehr.Dispose();
    }

    [Fact]
    public void Only_the_page_its_reference_data_discovery_health_and_metrics_allow_anonymous_callers()
    {
        _ = host.CreateClient();
        var open = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText)
            .Order(StringComparer.Ordinal);

        Assert.Equal(["/", "/api/examples", "/api/examples/{id}", "/api/knowledge", "/app/{file}", "/cds-services", "/health", "/metrics"], open);
    }

    [Theory]
    [InlineData("GET", "/cds-services", true)]
    [InlineData("GET", "/cds-services/", true)]
    [InlineData("GET", "/health", true)]
    [InlineData("GET", "/", true)]
    [InlineData("GET", "/app/herald.js", true)]
    [InlineData("GET", "/api/knowledge", true)]
    [InlineData("GET", "/api/examples", true)]
    [InlineData("GET", "/api/examples/seed-case-1", true)]
    [InlineData("POST", "/cds-services", false)]
    [InlineData("POST", "/health", false)]
    [InlineData("POST", "/cds-services/x", false)]
    [InlineData("GET", "/cds-services/x", false)]
    [InlineData("GET", "/audit", false)]
    [InlineData("GET", "/anything-else", false)]
    [InlineData("GET", "/app/nested/file.js", false)]
    [InlineData("POST", "/api/examples/seed-case-1", false)]
    [InlineData("POST", "/", false)]
    [InlineData("GET", "/api/recommendations", false)]
    public async Task A_route_without_a_token_is_answered_unless_it_is_open(string method, string path, bool open)
    {
        using var response = await host.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(open, response.StatusCode != HttpStatusCode.Unauthorized);
    }
}
