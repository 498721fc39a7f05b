using Herald.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Security;

/// <summary>A JWKS endpoint on 127.0.0.1 whose content and status the test changes, counting requests.</summary>
internal sealed class LoopbackJwksServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int requests;

    private LoopbackJwksServer(WebApplication app) => this.app = app;

    public string Jwks { get; set; } = "{\"keys\":[]}";
    public int Status { get; set; } = StatusCodes.Status200OK;
    public int Requests => Volatile.Read(ref requests);
    public string Url { get; private set; } = "";

    public static async Task<LoopbackJwksServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackJwksServer(app);
        app.MapGet("/jwks", (HttpContext context) =>
        {
            Interlocked.Increment(ref server.requests);
            context.Response.StatusCode = server.Status;
            return server.Status == StatusCodes.Status200OK ? Results.Text(server.Jwks, "application/json") : Results.StatusCode(server.Status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Url = address + "/jwks";
        return server;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

public sealed class JwksUrlSourceTests : IAsyncLifetime
{
    private const string Audience = "https://cds.example.org/cds-services/herald-patient-view";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TestTokens ehr = new("https://url-ehr.example.org");
    private readonly ManualTimeProvider clock = new(Now);
    private LoopbackJwksServer server = null!;
    private CdsJwtValidator validator = null!;
    private CdsAuthOptions options = null!;

    public async Task InitializeAsync()
    {
        server = await LoopbackJwksServer.StartAsync();
        server.Jwks = ehr.JwksJson();
        options = new CdsAuthOptions
        {
            Mode = CdsAuthOptions.JwtMode,
            Issuers = [new TrustedIssuer { Issuer = ehr.Issuer, JwksUrl = server.Url }],
            JwksCacheLifetime = TimeSpan.FromMinutes(10),
            JwksRefreshMinInterval = TimeSpan.FromSeconds(30),
        };
        Assert.Empty(options.Validate());
        validator = LibraryValidatorAttackTests.NewValidator(options, clock);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private Task<TokenValidationOutcome> Validate(string token) =>
        validator.ValidateAsync(TestTokens.Bearer(token), Audience, CancellationToken.None);

    [Fact]
    public async Task Keys_are_fetched_once_and_reused_within_the_cache_lifetime()
    {
        Assert.True((await Validate(ehr.Rs384(Audience, Now))).IsValid);
        Assert.True((await Validate(ehr.Es384(Audience, Now))).IsValid);

        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Keys_are_fetched_again_when_the_cache_lifetime_has_passed()
    {
        Assert.True((await Validate(ehr.Rs384(Audience, Now))).IsValid);
        clock.Advance(options.JwksCacheLifetime);

        Assert.True((await Validate(ehr.Rs384(Audience, clock.Now))).IsValid);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task A_rotated_key_with_an_unknown_kid_is_picked_up_by_one_refetch()
    {
        Assert.True((await Validate(ehr.Rs384(Audience, Now))).IsValid);
        var rotated = new TestTokens("https://rotation.invalid").Rsa;
        server.Jwks = ehr.JwksJson(TestTokens.RsaJwk(rotated, "rotated-2"));
        clock.Advance(options.JwksRefreshMinInterval);

        var token = ehr.Mint(TestTokens.Header("RS384", "rotated-2"), ehr.Claims(Audience, clock.Now), rsa: rotated);
        var outcome = await Validate(token);

        Assert.True(outcome.IsValid, outcome.Message);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Unknown_kids_cannot_make_Herald_refetch_more_than_once_per_interval()
    {
        Assert.True((await Validate(ehr.Rs384(Audience, Now))).IsValid);
        clock.Advance(options.JwksRefreshMinInterval);

        for (var i = 0; i < 5; i++)
        {
            var outcome = await Validate(ehr.Mint(TestTokens.Header("RS384", $"bogus-{i}"), ehr.Claims(Audience, clock.Now)));
            Assert.Equal(TokenFailure.UnknownKey, outcome.Failure);
        }
        Assert.Equal(2, server.Requests);

        clock.Advance(options.JwksRefreshMinInterval);
        await Validate(ehr.Mint(TestTokens.Header("RS384", "bogus-again"), ehr.Claims(Audience, clock.Now)));
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task An_unreachable_key_server_with_no_keys_held_means_keys_unavailable()
    {
        server.Status = StatusCodes.Status500InternalServerError;

        var outcome = await Validate(ehr.Rs384(Audience, Now));

        Assert.Equal(TokenFailure.KeysUnavailable, outcome.Failure);
        Assert.True(outcome.Failure.IsServerSide());
    }

    [Fact]
    public async Task Keys_already_held_stay_in_use_when_a_refresh_fails()
    {
        Assert.True((await Validate(ehr.Rs384(Audience, Now))).IsValid);
        server.Status = StatusCodes.Status503ServiceUnavailable;
        clock.Advance(options.JwksCacheLifetime);

        var outcome = await Validate(ehr.Rs384(Audience, clock.Now));

        Assert.True(outcome.IsValid, outcome.Message);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task A_malformed_jwks_from_the_url_means_keys_unavailable()
    {
        server.Jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"x\"}]}";

        Assert.Equal(TokenFailure.KeysUnavailable, (await Validate(ehr.Rs384(Audience, Now))).Failure);
    }

    [Fact]
    public async Task A_rotated_key_file_is_reread_on_an_unknown_kid()
    {
        var path = ehr.WriteJwksFile();
        var fileOptions = new CdsAuthOptions { Mode = "jwt", Issuers = [new TrustedIssuer { Issuer = ehr.Issuer, JwksFile = path }] };
        var fileValidator = LibraryValidatorAttackTests.NewValidator(fileOptions, clock);
        Assert.True((await fileValidator.ValidateAsync(TestTokens.Bearer(ehr.Rs384(Audience, Now)), Audience, default)).IsValid);

        var rotated = new TestTokens("https://rotation.invalid").Rsa;
        await File.WriteAllTextAsync(path, ehr.JwksJson(TestTokens.RsaJwk(rotated, "file-rotated")));
        clock.Advance(fileOptions.JwksRefreshMinInterval);
        var token = ehr.Mint(TestTokens.Header("RS384", "file-rotated"), ehr.Claims(Audience, clock.Now), rsa: rotated);

        var outcome = await fileValidator.ValidateAsync(TestTokens.Bearer(token), Audience, default);

        Assert.True(outcome.IsValid, outcome.Message);
    }
}
