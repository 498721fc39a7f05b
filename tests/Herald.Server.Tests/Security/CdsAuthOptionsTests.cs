using Herald.Server.Security;
using Microsoft.Extensions.Configuration;

namespace Herald.Server.Tests.Security;

public sealed class CdsAuthOptionsTests
{
    private static CdsAuthOptions Read(Dictionary<string, string?> settings) =>
        CdsAuthenticationServiceCollectionExtensions.ReadOptions(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void The_embedded_default_is_local_development_with_a_60_second_skew()
    {
        var options = Read([]);

        Assert.True(options.IsLocalDevelopment);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ClockSkew);
        Assert.Empty(options.Issuers);
    }

    [Fact]
    public void Every_documented_key_binds()
    {
        var options = Read(new Dictionary<string, string?>
        {
            ["Herald:Auth:Mode"] = "jwt",
            ["Herald:Auth:ClockSkew"] = "00:00:30",
            ["Herald:Auth:MaxTokenLifetime"] = "00:10:00",
            ["Herald:Auth:MaxTokenBytes"] = "4096",
            ["Herald:Auth:JwksCacheLifetime"] = "00:30:00",
            ["Herald:Auth:JwksRefreshMinInterval"] = "00:01:00",
            ["Herald:Auth:JwksFetchTimeout"] = "00:00:05",
            ["Herald:Auth:ReplayCacheCapacity"] = "500",
            ["Herald:Auth:Issuers:0:Issuer"] = "https://ehr.example.org",
            ["Herald:Auth:Issuers:0:JwksUrl"] = "https://ehr.example.org/.well-known/jwks.json",
            ["Herald:Auth:Issuers:1:Issuer"] = "https://other.example.org",
            ["Herald:Auth:Issuers:1:JwksFile"] = "/etc/herald/other.jwks.json",
            ["Herald:PublicBaseUrl"] = "https://cds.example.org",
        });

        Assert.Equal(CdsAuthOptions.JwtMode, options.Mode);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ClockSkew);
        Assert.Equal(TimeSpan.FromMinutes(10), options.MaxTokenLifetime);
        Assert.Equal(4096, options.MaxTokenBytes);
        Assert.Equal(TimeSpan.FromMinutes(30), options.JwksCacheLifetime);
        Assert.Equal(TimeSpan.FromMinutes(1), options.JwksRefreshMinInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.JwksFetchTimeout);
        Assert.Equal(500, options.ReplayCacheCapacity);
        Assert.Equal(2, options.Issuers.Count);
        Assert.Equal("https://ehr.example.org/.well-known/jwks.json", options.Issuers[0].JwksUrl);
        Assert.Equal("/etc/herald/other.jwks.json", options.Issuers[1].JwksFile);
        Assert.Equal("https://cds.example.org", options.PublicBaseUrl);
    }

    [Theory]
    [InlineData("Herald:Auth:Mode", "open", "Mode must be")]
    [InlineData("Herald:Auth:ClockSkew", "00:30:00", "ClockSkew")]
    [InlineData("Herald:Auth:MaxTokenBytes", "10", "MaxTokenBytes")]
    [InlineData("Herald:PublicBaseUrl", "cds.example.org", "PublicBaseUrl")]
    public void Invalid_settings_stop_the_start_with_the_key_named(string key, string value, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData(null, null, "exactly one of JwksFile or JwksUrl")]
    [InlineData("/a.json", "https://x.example/jwks", "exactly one of JwksFile or JwksUrl")]
    [InlineData(null, "http://ehr.example.org/jwks", "https URL")]
    [InlineData(null, "ftp://ehr.example.org/jwks", "https URL")]
    public void Each_issuer_needs_one_key_location_over_tls(string? file, string? url, string expected)
    {
        var options = new CdsAuthOptions { Issuers = [new TrustedIssuer { Issuer = "https://ehr.example.org", JwksFile = file, JwksUrl = url }] };

        Assert.Contains(options.Validate(), fault => fault.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_http_is_allowed_for_a_loopback_key_server_only()
    {
        Assert.True(CdsAuthOptions.IsAcceptableJwksUrl("http://127.0.0.1:5000/jwks"));
        Assert.True(CdsAuthOptions.IsAcceptableJwksUrl("https://ehr.example.org/jwks"));
        Assert.False(CdsAuthOptions.IsAcceptableJwksUrl("http://10.0.0.1/jwks"));
    }

    [Fact]
    public void An_issuer_configured_twice_or_named_local_development_is_refused()
    {
        var options = new CdsAuthOptions
        {
            Issuers =
            [
                new TrustedIssuer { Issuer = "https://a", JwksFile = "a" },
                new TrustedIssuer { Issuer = "https://a", JwksFile = "b" },
                new TrustedIssuer { Issuer = "local-development", JwksFile = "c" },
            ],
        };

        var faults = options.Validate();

        Assert.Contains(faults, fault => fault.Contains("configured twice", StringComparison.Ordinal));
        Assert.Contains(faults, fault => fault.Contains("may not be 'local-development'", StringComparison.Ordinal));
    }
}

public sealed class CdsAuthStatusTests
{
    [Fact]
    public void Local_development_prints_the_banner_line_by_line()
    {
        var status = new CdsAuthStatus(new CdsAuthOptions());

        var lines = status.StartupWarnings();

        Assert.Equal("local-development", status.Mode);
        Assert.Contains(lines, line => line.Contains("WARNING: Herald is running in LOCAL-DEVELOPMENT", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.DoesNotContain('\n', line));
    }

    [Fact]
    public void Jwt_mode_without_a_public_base_url_warns_about_the_audience()
    {
        var options = new CdsAuthOptions { Mode = "jwt", Issuers = [new TrustedIssuer { Issuer = "https://a", JwksFile = "a" }] };

        var lines = new CdsAuthStatus(options).StartupWarnings();

        Assert.Contains(lines, line => line.Contains("1 trusted issuer", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Herald:PublicBaseUrl is not set", StringComparison.Ordinal));
        options.PublicBaseUrl = "https://cds.example.org";
        Assert.DoesNotContain(new CdsAuthStatus(options).StartupWarnings(), line => line.Contains("PublicBaseUrl", StringComparison.Ordinal));
    }
}
