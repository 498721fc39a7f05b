using System.Text.Json;
using static Herald.Tests.Cli.CliRunner;

namespace Herald.Tests.Cli;

/// <summary>Invalid input: exit code 2, one message naming every bad field, nothing else on standard output.</summary>
public sealed class InputErrorTests : IDisposable
{
    // LVEF out of range, a stop before its start, an IHC score that does not exist, and an unknown field.
    private const string InvalidPatient = """
        {
          "id": "invalid",
          "assessmentDate": "2026-01-15",
          "receptors": { "her2": { "ihc": "5+" } },
          "presentation": { "type": "de-novo", "metastaticDiagnosisDate": "2024-01-10" },
          "lvef": { "percent": 150, "date": "2025-12-01" },
          "favouriteColour": "blue",
          "metastaticRegimens": [
            { "agents": ["trastuzumab"], "start": "2025-01-20", "stop": "2024-10-01", "stopReason": "progression" }
          ]
        }
        """;

    private static readonly string[] BadFields = ["lvef.percent", "metastaticRegimens[0].stop", "receptors.her2.ihc", "favouriteColour"];

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("recommend")]
    [InlineData("explain")]
    [InlineData("validate")]
    public void An_invalid_patient_is_reported_once_naming_every_bad_field(string verb)
    {
        var file = temp.Write("invalid.json", InvalidPatient);

        var result = Run(verb, file);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith("Invalid patient input: 4 problems.", result.Error);
        foreach (var field in BadFields)
        {
            Assert.Contains(field, result.Error);
        }
    }

    [Fact]
    public void With_json_format_the_error_document_is_on_standard_output()
    {
        var file = temp.Write("invalid.json", InvalidPatient);

        var result = Run("recommend", file, "--format", "json");

        Assert.Equal(2, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var paths = json.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToArray();
        Assert.Equal(BadFields.Order(StringComparer.Ordinal), paths.Order(StringComparer.Ordinal));
        foreach (var field in BadFields)
        {
            Assert.Contains(field, result.Error);
        }
    }

    [Fact]
    public void Malformed_json_is_invalid_input()
    {
        var file = temp.Write("broken.json", "{ \"id\": ");

        var result = Run("recommend", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not valid JSON", result.Error);
    }

    [Theory]
    [InlineData("recommend")]
    [InlineData("validate")]
    public void A_lone_surrogate_escape_is_invalid_input_naming_its_place(string verb)
    {
        var file = temp.Write("surrogate.json", InvalidPatient.Replace("\"blue\"", "\"\\ud800\"", StringComparison.Ordinal));

        var result = Run(verb, file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("favouriteColour", result.Error);
        Assert.Contains("surrogate", result.Error);
    }

    [Fact]
    public void A_file_that_is_not_UTF8_is_invalid_input_naming_its_place()
    {
        var file = temp.Write("latin1.json", InvalidPatient.Replace("\"blue\"", "\"bl@e\"", StringComparison.Ordinal));
        var bytes = File.ReadAllBytes(file);
        bytes[Array.IndexOf(bytes, (byte)'@')] = 0xFC; // 'ü' in Latin-1, not UTF-8
        File.WriteAllBytes(file, bytes);

        var result = Run("recommend", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("favouriteColour", result.Error);
        Assert.Contains("not UTF-8", result.Error);
    }

    [Theory]
    [InlineData("recommend")]
    [InlineData("explain")]
    [InlineData("validate")]
    public void A_missing_file_is_invalid_input(string verb)
    {
        var missing = Path.Combine(temp.Path, "nobody.json");

        var result = Run(verb, missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("nobody.json", result.Error);
        Assert.Contains("does not exist", result.Error);
    }

    [Fact]
    public void A_missing_file_with_json_format_gives_an_error_document()
    {
        var result = Run("recommend", Path.Combine(temp.Path, "nobody.json"), "--format", "json");

        Assert.Equal(2, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Examples), MemberType = typeof(CliRunner))]
    public void Every_example_validates(string example)
    {
        var result = Run("validate", Example(example));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("valid: ", result.Out);
        Assert.Matches(@"as of \d{4}-\d{2}-\d{2}\n$", result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void Validate_uses_the_assessment_date_or_today()
    {
        var withDate = Run("validate", Example("seed-case-1.json"));
        var file = temp.Write("no-date.json", """
            { "id": "no-date", "presentation": { "type": "de-novo", "metastaticDiagnosisDate": "2025-12-10" } }
            """);
        var withoutDate = Run("validate", file);

        Assert.Equal("valid: seed-case-1, as of 2020-10-26\n", withDate.Out);
        Assert.Equal("valid: no-date, as of 2026-12-31\n", withoutDate.Out);
    }
}
