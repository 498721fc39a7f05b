using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Herald.Server.Security;

/// <summary>
/// Authenticates every request except discovery and health: a valid CDS client JWT, or (in local-development mode)
/// a call from loopback. On success the caller is available through <see cref="CallerIdentityHttpContextExtensions.GetCaller"/>;
/// on failure the answer is 401 with a problem body and WWW-Authenticate (503 when Herald cannot read the keys).
/// Logs name the route and the failure code only: never the token, the query string or any patient data.
/// </summary>
public sealed class CdsAuthenticationMiddleware(RequestDelegate next, CdsAuthOptions options, ICdsTokenValidator validator,
    ILogger<CdsAuthenticationMiddleware> logger)
{
    private const string LoopbackOnlyCode = "loopback-only";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (CdsAudience.IsOpen(request))
        {
            await next(context);
            return;
        }

        var authorization = request.Headers.Authorization.ToString();
        var hasAuthorization = !string.IsNullOrWhiteSpace(authorization);
        var cameThroughProxy = request.Headers.ContainsKey("X-Forwarded-For") || request.Headers.ContainsKey("Forwarded");
        var decision = LocalDevelopmentPolicy.Decide(options, context.Connection.RemoteIpAddress, cameThroughProxy,
            hasAuthorization, validator.HasIssuers);

        switch (decision)
        {
            case LocalAccessDecision.AllowAsLocalDevelopment:
                context.SetCaller(CallerIdentity.LocalDevelopment);
                await next(context);
                return;
            case LocalAccessDecision.Refuse:
                logger.LogInformation("Refused {Method} {Path}: {Code}", request.Method, request.Path.ToUriComponent(), LoopbackOnlyCode);
                await WriteUnauthorizedAsync(context, LoopbackOnlyCode,
                    "Local-development mode accepts unauthenticated calls from this machine only; send a signed JWT from a configured issuer.",
                    bearerError: false);
                return;
        }

        var audience = CdsAudience.Rule(request, options.PublicBaseUrl);
        var outcome = await validator.ValidateAsync(hasAuthorization ? authorization : null, audience, context.RequestAborted);
        if (outcome.IsValid)
        {
            context.SetCaller(new CallerIdentity(outcome.Issuer!, outcome.Subject, outcome.Tenant));
            await next(context);
            return;
        }

        logger.LogInformation("Refused {Method} {Path}: {Code}", request.Method, request.Path.ToUriComponent(), outcome.FailureCode);
        if (outcome.Failure.IsServerSide())
        {
            logger.LogWarning("Authentication could not be completed for {Path}: {Code}", request.Path.ToUriComponent(), outcome.FailureCode);
            await WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                "https://tools.ietf.org/html/rfc9110#section-15.6.4", outcome.FailureCode, outcome.Message!);
            return;
        }
        await WriteUnauthorizedAsync(context, outcome.FailureCode, outcome.Message!,
            bearerError: outcome.Failure != TokenFailure.MissingToken);
    }

    private static Task WriteUnauthorizedAsync(HttpContext context, string code, string detail, bool bearerError)
    {
        // RFC 6750 3.1: a request with no credentials gets a bare challenge; a bad token gets invalid_token.
        context.Response.Headers.WWWAuthenticate = bearerError
            ? $"Bearer error=\"invalid_token\", error_description=\"{HeaderSafe(detail)}\""
            : "Bearer";
        return WriteProblemAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
            "https://tools.ietf.org/html/rfc9110#section-15.5.2", code, detail);
    }

    private static async Task WriteProblemAsync(HttpContext context, int status, string title, string type, string code, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var problem = new AuthenticationProblem(type, title, status, detail, code);
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, SecurityJsonContext.Default.AuthenticationProblem,
            context.RequestAborted);
    }

    /// <summary>error_description allows printable ASCII except '"' and '\' (RFC 6750 3); anything else becomes '?'.</summary>
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

/// <summary>The RFC 9457 problem body of a refused call; <c>code</c> is the stable failure code.</summary>
public sealed record AuthenticationProblem(string Type, string Title, int Status, string Detail, string Code);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AuthenticationProblem))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
