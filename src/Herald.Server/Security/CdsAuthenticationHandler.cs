using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Herald.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Herald.Server.Security;

/// <summary>
/// ASP.NET Core authentication for CDS clients: a valid CDS Hooks JWT, or (in local-development mode) a call from
/// loopback. Which routes need a caller is the authorization policy's business: every endpoint does (the fallback
/// policy) except those marked <c>.AllowAnonymous()</c>, so a route added later cannot be left open by mistake. A
/// refused call gets 401 with a problem body and WWW-Authenticate (503 when Herald cannot complete the check). Logs
/// name the route, encoded, and the failure code only: never the token, the query string or any patient data.
/// </summary>
public sealed class CdsAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory loggerFactory, UrlEncoder encoder,
    CdsAuthOptions options, ICdsTokenValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "CdsHooks";
    internal const string CallerClaim = "herald:caller";
    internal const string SubjectClaim = "sub";
    internal const string TenantClaim = "tenant";
    private const string LoopbackOnlyCode = "loopback-only";

    // Handlers live for one request: what authentication found is what the challenge answers.
    private (string Code, string Message, bool ServerSide, bool BearerError)? refusal;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        var hasAuthorization = !string.IsNullOrWhiteSpace(authorization);
        var cameThroughProxy = Request.Headers.ContainsKey("X-Forwarded-For") || Request.Headers.ContainsKey("Forwarded");
        switch (LocalDevelopmentPolicy.Decide(options, Context.Connection.RemoteIpAddress, cameThroughProxy, hasAuthorization, validator.HasIssuers))
        {
            case LocalAccessDecision.AllowAsLocalDevelopment:
                return Success(CallerIdentity.LocalDevelopment);
            case LocalAccessDecision.Refuse:
                refusal = (LoopbackOnlyCode,
                    "Local-development mode accepts unauthenticated calls from this machine only; send a signed JWT from a configured issuer.",
                    false, false);
                return AuthenticateResult.Fail(LoopbackOnlyCode);
        }

        var outcome = await validator.ValidateAsync(hasAuthorization ? authorization : null, CdsAudience.Rule(Request, options.PublicBaseUrl), Context.RequestAborted);
        if (outcome.IsValid)
        {
            return Success(new CallerIdentity(outcome.Issuer!, outcome.Subject, outcome.Tenant));
        }

        refusal = (outcome.FailureCode, outcome.Message!, outcome.Failure.IsServerSide(), outcome.Failure != TokenFailure.MissingToken);
        return AuthenticateResult.Fail(outcome.FailureCode);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (code, message, serverSide, bearerError) = refusal ?? ("missing-token", "A Bearer JWT is required.", false, false);
        var path = Request.Path.ToUriComponent(); // Encoded: a path can carry %0A, which must not start a new log line.
        Logger.LogInformation("Refused {Method} {Path}: {Code}", Request.Method, path, code);
        if (serverSide)
        {
            Logger.LogWarning("Authentication could not be completed for {Path}: {Code}", path, code);
            Response.Headers.RetryAfter = Pipeline.AuditRecorder.RetryAfter;
            await Problems.Write(Context, Problems.Create(Context, StatusCodes.Status503ServiceUnavailable, message, code: code));
            return;
        }

        // RFC 6750 section 3.1: a request with no credentials gets a bare challenge; a bad token gets invalid_token.
        Response.Headers.WWWAuthenticate = bearerError ? $"Bearer error=\"invalid_token\", error_description=\"{HeaderSafe(message)}\"" : "Bearer";
        await Problems.Write(Context, Problems.Create(Context, StatusCodes.Status401Unauthorized, message, code: code));
    }

    private AuthenticateResult Success(CallerIdentity caller)
    {
        var claims = new List<Claim> { new(CallerClaim, caller.Caller) };
        if (caller.Subject is { } subject)
        {
            claims.Add(new Claim(SubjectClaim, subject));
        }

        if (caller.Tenant is { } tenant)
        {
            claims.Add(new Claim(TenantClaim, tenant));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    /// <summary>error_description allows printable ASCII except '"' and '\' (RFC 6750 section 3); anything else becomes '?'.</summary>
    internal static string HeaderSafe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?');
        }

        return builder.ToString();
    }
}
