using Herald.Core.Knowledge;
using Herald.Knowledge;

namespace Herald.Tests.Knowledge;

public sealed class SeedQuoteVerifierTests : IDisposable
{
    // As a PDF extraction gives it: a word hyphenated across a line break, curly quotes, a stray space.
    private const string Seed = """
        Second-line therapy. Patients who progress on trastu-
        zumab-based therapy should be offered T-DM1 in the “second
        line”. Other options exist. Later , the panel said that lapatinib plus capecitabine remains an
        option for some patients.
        """;

    private readonly KnowledgeDirectory directory = new();

    public SeedQuoteVerifierTests() => directory.WriteSeed("seed-000.txt", Seed);

    public void Dispose() => directory.Dispose();

    [Fact]
    public void A_quote_broken_across_a_hyphenated_line_break_is_found()
    {
        Assert.Empty(Verify("Patients who progress on trastuzumab-based therapy should be offered T-DM1 in the \"second line\"."));
    }

    [Theory]
    [InlineData("Patients who progress … should be offered T-DM1 … lapatinib plus capecitabine remains an option")]
    [InlineData("Patients who progress ... lapatinib plus capecitabine remains an option for some patients.")]
    public void An_elided_quote_is_found_when_its_parts_appear_in_order(string quote)
    {
        Assert.Empty(Verify(quote));
    }

    // Interleaved PDF columns can put a later part of a passage first (seed 001 does), so order is not checked.
    [Fact]
    public void Elided_parts_may_appear_in_the_seed_in_another_order()
    {
        Assert.Empty(Verify("lapatinib plus capecitabine … Patients who progress"));
    }

    [Fact]
    public void An_altered_word_is_rejected_with_the_statement_its_line_and_the_fragment()
    {
        var quote = "Patients who progress … lapatinib plus capecitabine remains the preferred option";

        var error = Assert.Single(Verify(quote));

        Assert.Equal(new("knowledge/" + KnowledgeDirectory.StatementsFile, 4), error.Location);
        Assert.Equal(
            "statement second-line-tdm1: quote not found in seed file 'seed-000.txt': \"lapatinib plus capecitabine remains the preferred option\" "
            + "(the seed has \"lapatinib plus capecitabine remains\" but not the next word \"the\")",
            error.Message);
    }

    [Fact]
    public void A_source_whose_seed_file_is_missing_is_reported()
    {
        File.Delete(Path.Combine(directory.Seeds, "seed-000.txt"));

        var error = Assert.Single(Verify("Patients who progress"));

        Assert.Contains("statement second-line-tdm1: source seed-000 names seed file 'seed-000.txt', which is not in", error.Message);
    }

    [Fact]
    public void Safety_rule_quotes_are_checked_too()
    {
        directory.Write("safety-rules.yaml", """
            rules:
              - id: no-tdm1
                title: No T-DM1
                target: { agents: [trastuzumab-emtansine] }
                effect: exclude
                text: Not T-DM1.
                source: seed-000
                quote: T-DM1 should never be offered.
                strength: expert-opinion
            """);

        var error = Assert.Single(Verify("Patients who progress"));

        Assert.Equal(new("knowledge/safety-rules.yaml", 2), error.Location);
        Assert.StartsWith("safety rule no-tdm1: quote not found", error.Message);
    }

    private IReadOnlyList<KnowledgeError> Verify(string quote)
    {
        directory.Write(
            KnowledgeDirectory.StatementsFile,
            KnowledgeDirectory.Statements.Replace("quote: T-DM1 is recommended in the second line.", $"quote: '{quote.Replace("'", "''")}'"));
        var loaded = directory.Load();
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        return SeedQuoteVerifier.Verify(loaded.Knowledge!, directory.Seeds);
    }
}
