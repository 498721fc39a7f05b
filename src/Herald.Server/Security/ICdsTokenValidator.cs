namespace Herald.Server.Security;

/// <summary>Checks the JWT a CDS client sends with a call (docs/security.md lists the checks and their codes).</summary>
public interface ICdsTokenValidator
{
    /// <summary>Whether any issuer is configured; without one no token can be accepted.</summary>
    bool HasIssuers { get; }

    /// <summary>Validates against the route's audience or, where the rule allows one, the session audience.</summary>
    Task<TokenValidationOutcome> ValidateAsync(string? authorizationHeader, AudienceRule audiences, CancellationToken cancellationToken);
}

public static class CdsTokenValidatorExtensions
{
    /// <summary>Validates against one audience, with no session audience.</summary>
    public static Task<TokenValidationOutcome> ValidateAsync(this ICdsTokenValidator validator, string? authorizationHeader,
        string expectedAudience, CancellationToken cancellationToken) =>
        validator.ValidateAsync(authorizationHeader, new AudienceRule(expectedAudience, SessionAudience: null), cancellationToken);
}

/// <summary>The audience a route's token must name, and the session audience also accepted there (null: none).</summary>
public sealed record AudienceRule(string Expected, string? SessionAudience);
