using System.Text;
using Herald.Server.Pipeline;

namespace Herald.Server.Tests.Audit;

/// <summary>The stored input never holds the fhirAuthorization access token, and keeps its length and shape without it.</summary>
public sealed class TokenRedactionTests
{
    private static (string Text, bool Redacted) Redact(string body)
    {
        var bytes = TokenRedaction.Redact(Encoding.UTF8.GetBytes(body), out var redacted);
        return (Encoding.UTF8.GetString(bytes), redacted);
    }

    [Fact]
    public void The_access_token_is_overwritten_with_as_many_x_as_it_had_bytes_and_nothing_else_changes()
    {
        const string Body = """{"hook":"patient-view","fhirAuthorization":{"access_token":"s3cr\u00e9t-token","token_type":"Bearer"},"context":{"access_token":"kept"}}""";

        var (text, redacted) = Redact(Body);

        Assert.True(redacted);
        Assert.Equal(Body.Length, text.Length);
        Assert.Equal(Body.Replace("s3cr\\u00e9t-token", new string('x', "s3cr\\u00e9t-token".Length), StringComparison.Ordinal), text);
        Assert.Contains("\"kept\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_without_a_token_is_kept_as_it_is()
    {
        const string Body = """{"hook":"patient-view","fhirAuthorization":{"token_type":"Bearer"}}""";

        var bytes = Encoding.UTF8.GetBytes(Body);
        var kept = TokenRedaction.Redact(bytes, out var redacted);

        Assert.False(redacted);
        Assert.Same(bytes, kept);
    }

    [Fact]
    public void A_token_under_a_name_spelled_with_escapes_is_overwritten_too()
    {
        const string Body = """{"fhirAuthorization":{"acc\u0065ss_token":"s3cret"}}""";

        var (text, redacted) = Redact(Body);

        Assert.True(redacted);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_in_a_body_that_is_not_valid_JSON_is_still_overwritten()
    {
        const string Body = """{"hook": tru, "fhirAuthorization": {"access_token" : "s3cret\"quoted", "x": 1}""";

        var (text, redacted) = Redact(Body);

        Assert.True(redacted);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.Equal(Body.Length, text.Length);
    }

    [Fact]
    public void A_body_that_starts_with_a_byte_order_mark_has_its_token_overwritten()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"fhirAuthorization":{"access_token":"abc"}}""")).ToArray();

        var kept = TokenRedaction.Redact(bytes, out var redacted);

        Assert.True(redacted);
        Assert.EndsWith("""{"fhirAuthorization":{"access_token":"xxx"}}""", Encoding.UTF8.GetString(kept), StringComparison.Ordinal);
    }
}
