using Herald.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.Tests.Security;

public sealed class CdsAudienceTests
{
    private static HttpRequest Request(string method, string path, string pathBase = "", string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("cds.example.org");
        context.Request.PathBase = pathBase;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    [Theory]
    [InlineData("/cds-services/herald-patient-view", "https://cds.example.org/cds-services/herald-patient-view")]
    [InlineData("/cds-services/herald-patient-view/feedback", "https://cds.example.org/cds-services/herald-patient-view")]
    [InlineData("/api/recommendations", "https://cds.example.org/api/recommendations")]
    [InlineData("/audit", "https://cds.example.org/audit")]
    public void The_audience_is_the_service_url_or_the_route_url(string path, string expected) =>
        Assert.Equal(expected, CdsAudience.Expected(Request("POST", path, query: "?edition=2024&patient=p1"), publicBaseUrl: null));

    [Fact]
    public void The_path_base_is_part_of_the_audience() =>
        Assert.Equal("https://cds.example.org/herald/cds-services/x",
            CdsAudience.Expected(Request("POST", "/cds-services/x/feedback", pathBase: "/herald"), null));

    [Fact]
    public void A_configured_public_base_url_replaces_the_request_host() =>
        Assert.Equal("https://ehr-facing.example.com/cds/cds-services/x",
            CdsAudience.Expected(Request("POST", "/cds-services/x"), "https://ehr-facing.example.com/cds/"));

    [Fact]
    public void Outside_the_CDS_services_a_token_may_also_name_the_base_url()
    {
        Assert.Equal(new AudienceRule("https://cds.example.org/api/comparison", "https://cds.example.org"),
            CdsAudience.Rule(Request("POST", "/api/comparison"), publicBaseUrl: null));
        Assert.Equal(new AudienceRule("https://herald.example.org/audit", "https://herald.example.org"),
            CdsAudience.Rule(Request("GET", "/audit"), "https://herald.example.org/"));
        Assert.Equal(new AudienceRule("https://cds.example.org/cds-services/x", null), CdsAudience.Rule(Request("POST", "/cds-services/x"), null));
        Assert.Equal(new AudienceRule("https://cds.example.org/cds-services/x", null), CdsAudience.Rule(Request("POST", "/cds-services/x/feedback"), null));
    }
}
