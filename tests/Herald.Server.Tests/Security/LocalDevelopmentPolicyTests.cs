using System.Net;
using Herald.Server.Security;

namespace Herald.Server.Tests.Security;

public sealed class LocalDevelopmentPolicyTests
{
    private static readonly CdsAuthOptions Local = new();
    private static readonly CdsAuthOptions Jwt = new() { Mode = CdsAuthOptions.JwtMode };

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Loopback_callers_without_a_token_are_allowed_as_local_development(string address) =>
        Assert.Equal(LocalAccessDecision.AllowAsLocalDevelopment,
            LocalDevelopmentPolicy.Decide(Local, IPAddress.Parse(address), cameThroughProxy: false, hasAuthorizationHeader: false, issuersConfigured: false));

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("192.168.1.20")]
    [InlineData("::ffff:10.0.0.5")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void Other_callers_without_a_token_are_refused(string address) =>
        Assert.Equal(LocalAccessDecision.Refuse,
            LocalDevelopmentPolicy.Decide(Local, IPAddress.Parse(address), cameThroughProxy: false, hasAuthorizationHeader: false, issuersConfigured: false));

    [Fact]
    public void An_unknown_remote_address_is_not_loopback() =>
        Assert.Equal(LocalAccessDecision.Refuse,
            LocalDevelopmentPolicy.Decide(Local, null, cameThroughProxy: false, hasAuthorizationHeader: false, issuersConfigured: false));

    [Fact]
    public void A_loopback_connection_relayed_by_a_proxy_is_not_trusted_as_local() =>
        Assert.Equal(LocalAccessDecision.Refuse,
            LocalDevelopmentPolicy.Decide(Local, IPAddress.Loopback, cameThroughProxy: true, hasAuthorizationHeader: false, issuersConfigured: false));

    [Fact]
    public void A_token_sent_in_local_mode_is_still_validated_when_issuers_are_configured() =>
        Assert.Equal(LocalAccessDecision.ValidateToken,
            LocalDevelopmentPolicy.Decide(Local, IPAddress.Loopback, cameThroughProxy: false, hasAuthorizationHeader: true, issuersConfigured: true));

    [Fact]
    public void A_remote_caller_in_local_mode_with_issuers_must_present_a_valid_token() =>
        Assert.Equal(LocalAccessDecision.ValidateToken,
            LocalDevelopmentPolicy.Decide(Local, IPAddress.Parse("10.0.0.5"), cameThroughProxy: false, hasAuthorizationHeader: false, issuersConfigured: true));

    [Fact]
    public void Jwt_mode_validates_even_loopback_callers() =>
        Assert.Equal(LocalAccessDecision.ValidateToken,
            LocalDevelopmentPolicy.Decide(Jwt, IPAddress.Loopback, cameThroughProxy: false, hasAuthorizationHeader: false, issuersConfigured: true));

    [Fact]
    public void The_startup_warning_is_loud_in_local_mode_and_absent_in_jwt_mode()
    {
        var warning = LocalDevelopmentPolicy.StartupWarning(Local);

        Assert.NotNull(warning);
        Assert.Contains("WARNING", warning);
        Assert.Contains("LOCAL-DEVELOPMENT", warning);
        Assert.Contains("Herald:Auth:Mode=jwt", warning);
        Assert.Null(LocalDevelopmentPolicy.StartupWarning(Jwt));
    }
}
