using System.Net;
using System.Text.Json;
using Herald.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Security;

/// <summary>The authentication handler inside a small host with stand-in endpoints that echo the caller it recorded.</summary>
public sealed class CdsAuthenticationHandlerTests : IDisposable
{
    private const string ServiceUrl = "http://localhost/cds-services/herald-patient-view";
    private readonly TestTokens ehr = new();

    private async Task<WebApplication> StartAsync(Dictionary<string, string?> settings, bool testClientIsLoopback = false, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        if (testClientIsLoopback)
        {
            LoopbackRemoteAddress.AddTo(builder.Services);
        }
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        services?.Invoke(builder.Services);
        builder.Services.AddCdsAuthentication(builder.Configuration);
        var app = builder.Build();
        app.UseCdsAuthentication();
        static string Echo(HttpContext context) =>
            context.GetCaller() is { } caller ? $"{caller.Caller}|{caller.Subject}|{caller.Tenant}" : "no caller";
        app.MapGet("/cds-services", () => "discovery").AllowAnonymous();
        app.MapGet("/health", () => "ok").AllowAnonymous();
        app.MapPost("/cds-services/{id}", Echo);
        app.MapPost("/cds-services/{id}/feedback", Echo);
        app.MapPost("/api/recommendations", Echo);
        await app.StartAsync();
        return app;
    }

    private Dictionary<string, string?> JwtSettings(string mode = CdsAuthOptions.JwtMode) => new()
    {
        ["Herald:Auth:Mode"] = mode,
        ["Herald:Auth:Issuers:0:Issuer"] = ehr.Issuer,
        ["Herald:Auth:Issuers:0:JwksFile"] = ehr.WriteJwksFile(),
        ["Herald:Auth:ClockSkew"] = "00:00:30",
    };

    private static HttpRequestMessage Post(string path, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", TestTokens.Bearer(token));
        }
        return request;
    }

    private static Task<HttpContext> SendFrom(WebApplication app, string address, string path, string? token = null,
        string? forwardedFor = null) =>
        app.GetTestServer().SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = path;
            context.Connection.RemoteIpAddress = IPAddress.Parse(address);
            if (token is not null)
            {
                context.Request.Headers.Authorization = TestTokens.Bearer(token);
            }
            if (forwardedFor is not null)
            {
                context.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }
        });

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task A_valid_token_reaches_the_service_and_the_caller_is_the_issuer()
    {
        await using var app = await StartAsync(JwtSettings());
        var client = app.GetTestClient();

        var response = await client.SendAsync(Post("/cds-services/herald-patient-view", ehr.Rs384(ServiceUrl, DateTimeOffset.UtcNow)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{ehr.Issuer}|ehr-client-7|hospital-1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Feedback_takes_a_token_whose_audience_is_the_service_url()
    {
        await using var app = await StartAsync(JwtSettings());
        var client = app.GetTestClient();

        var response = await client.SendAsync(Post("/cds-services/herald-patient-view/feedback", ehr.Es384(ServiceUrl, DateTimeOffset.UtcNow)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_rest_route_takes_a_token_whose_audience_is_the_route_url_without_query()
    {
        await using var app = await StartAsync(JwtSettings());
        var client = app.GetTestClient();

        var response = await client.SendAsync(Post("/api/recommendations?edition=x",
            ehr.Rs384("http://localhost/api/recommendations", DateTimeOffset.UtcNow)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task No_token_is_401_with_a_bare_bearer_challenge_and_a_problem_body()
    {
        await using var app = await StartAsync(JwtSettings());
        var client = app.GetTestClient();

        var response = await client.SendAsync(Post("/cds-services/herald-patient-view"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        var problem = await ProblemOf(response);
        Assert.Equal("Unauthorized", problem.GetProperty("title").GetString());
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("missing-token", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("type").GetString()));
        Assert.Contains("Bearer", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong-audience")]
    [InlineData("alg-none")]
    [InlineData("unknown-issuer")]
    [InlineData("replayed-jti")]
    public async Task A_bad_token_is_401_invalid_token_naming_the_reason_and_never_echoing_the_token(string code)
    {
        await using var app = await StartAsync(JwtSettings());
        var client = app.GetTestClient();
        var now = DateTimeOffset.UtcNow;
        using var stranger = new TestTokens("https://stranger.example");
        var token = code switch
        {
            "expired" => ehr.Rs384(ServiceUrl, now.AddHours(-1)),
            "wrong-audience" => ehr.Rs384("http://localhost/cds-services/another", now),
            "alg-none" => ehr.Mint(TestTokens.Header("none", TestTokens.RsaKid), ehr.Claims(ServiceUrl, now)),
            "unknown-issuer" => stranger.Rs384(ServiceUrl, now),
            _ => ehr.Rs384(ServiceUrl, now),
        };
        if (code == "replayed-jti")
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post("/cds-services/herald-patient-view", token))).StatusCode);
        }

        var response = await client.SendAsync(Post("/cds-services/herald-patient-view", token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"", challenge);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(code, (await ProblemOf(response)).GetProperty("code").GetString());
        Assert.DoesNotContain(token.Split('.')[1], body);
        Assert.DoesNotContain(token.Split('.')[1], challenge);
    }

    [Fact]
    public async Task Discovery_and_health_stay_open_without_a_token()
    {
        await using var app = await StartAsync(JwtSettings());
        var client = app.GetTestClient();

        Assert.Equal("discovery", await client.GetStringAsync("/cds-services"));
        Assert.Equal("ok", await client.GetStringAsync("/health"));
    }

    [Fact]
    public async Task The_public_base_url_sets_the_expected_audience()
    {
        var settings = JwtSettings();
        settings["Herald:PublicBaseUrl"] = "https://cds.example.org/herald";
        await using var app = await StartAsync(settings);
        var client = app.GetTestClient();
        var now = DateTimeOffset.UtcNow;

        var external = await client.SendAsync(Post("/cds-services/herald-patient-view",
            ehr.Rs384("https://cds.example.org/herald/cds-services/herald-patient-view", now)));
        var internalHost = await client.SendAsync(Post("/cds-services/herald-patient-view", ehr.Rs384(ServiceUrl, now)));

        Assert.Equal(HttpStatusCode.OK, external.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, internalHost.StatusCode);
    }

    [Fact]
    public async Task Local_development_mode_lets_loopback_in_as_local_development()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>());

        var context = await SendFrom(app, "127.0.0.1", "/cds-services/herald-patient-view");

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("local-development||", await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task A_test_client_has_no_remote_address_and_is_refused_in_local_mode_unless_marked_loopback()
    {
        await using (var plain = await StartAsync(new Dictionary<string, string?>()))
        {
            var refused = await plain.GetTestClient().SendAsync(Post("/cds-services/herald-patient-view"));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await using var marked = await StartAsync(new Dictionary<string, string?>(), testClientIsLoopback: true);
        var allowed = await marked.GetTestClient().SendAsync(Post("/cds-services/herald-patient-view"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("local-development||", await allowed.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("::ffff:192.168.0.9")]
    public async Task Local_development_mode_refuses_other_addresses(string address)
    {
        await using var app = await StartAsync(new Dictionary<string, string?>());

        var context = await SendFrom(app, address, "/cds-services/herald-patient-view");

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        var problem = JsonDocument.Parse(await new StreamReader(context.Response.Body).ReadToEndAsync()).RootElement;
        Assert.Equal("loopback-only", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Local_development_mode_refuses_a_loopback_connection_forwarded_by_a_proxy()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>());

        var context = await SendFrom(app, "127.0.0.1", "/cds-services/herald-patient-view", forwardedFor: "203.0.113.7");

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
    }

    [Fact]
    public async Task Local_development_mode_still_validates_a_token_when_issuers_are_configured()
    {
        await using var app = await StartAsync(JwtSettings(CdsAuthOptions.LocalDevelopmentMode));
        var now = DateTimeOffset.UtcNow;

        var bad = await SendFrom(app, "127.0.0.1", "/cds-services/herald-patient-view", ehr.Rs384(ServiceUrl, now.AddHours(-1)));
        var good = await SendFrom(app, "10.1.2.3", "/cds-services/herald-patient-view", ehr.Rs384(ServiceUrl, now));

        Assert.Equal(StatusCodes.Status401Unauthorized, bad.Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, good.Response.StatusCode);
        Assert.StartsWith(ehr.Issuer + "|", await new StreamReader(good.Response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task Jwt_mode_requires_a_token_even_from_loopback()
    {
        await using var app = await StartAsync(JwtSettings());

        var context = await SendFrom(app, "127.0.0.1", "/cds-services/herald-patient-view");

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
    }

    [Fact]
    public async Task Unreadable_keys_at_a_url_answer_503_not_401()
    {
        await using var keyServer = await LoopbackJwksServer.StartAsync();
        keyServer.Status = StatusCodes.Status500InternalServerError;
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["Herald:Auth:Mode"] = "jwt",
            ["Herald:Auth:Issuers:0:Issuer"] = ehr.Issuer,
            ["Herald:Auth:Issuers:0:JwksUrl"] = keyServer.Url,
        });

        var response = await app.GetTestClient().SendAsync(Post("/cds-services/herald-patient-view", ehr.Rs384(ServiceUrl, DateTimeOffset.UtcNow)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("keys-unavailable", (await ProblemOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_shared_replay_cache_that_cannot_be_reached_answers_503_with_retry_after_not_200()
    {
        // The audit's PostgreSQL is down (nothing listens on port 1): whether the token was used cannot be known.
        await using var app = await StartAsync(JwtSettings(), services: s => s.AddJtiReplayCache("Host=127.0.0.1;Port=1;Username=herald;Timeout=1"));

        var response = await app.GetTestClient().SendAsync(Post("/cds-services/herald-patient-view", ehr.Rs384(ServiceUrl, DateTimeOffset.UtcNow)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("replay-cache-unavailable", (await ProblemOf(response)).GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Jwt_mode_without_issuers_refuses_to_start()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StartAsync(new Dictionary<string, string?> { ["Herald:Auth:Mode"] = "jwt" }));

        Assert.Contains("no Herald:Auth:Issuers", error.Message);
    }

    [Fact]
    public async Task A_malformed_jwks_file_stops_the_server_at_start_naming_the_issuer()
    {
        var settings = JwtSettings();
        settings["Herald:Auth:Issuers:0:JwksFile"] = ehr.WriteTempFile("{\"keys\":[{\"kty\":\"EC\",\"kid\":\"k\"}]}");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(settings));

        Assert.Contains(ehr.Issuer, error.Message);
        Assert.Contains("crv", error.Message);
    }

    public void Dispose() => ehr.Dispose();
}
