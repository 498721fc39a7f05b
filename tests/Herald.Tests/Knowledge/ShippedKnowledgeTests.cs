using Herald.Core.Knowledge;
using Herald.Knowledge;
using Herald.Tests.Support;

namespace Herald.Tests.Knowledge;

/// <summary>The knowledge base as shipped: loads, quotes the seeds verbatim, cites and grades everything.</summary>
public class ShippedKnowledgeTests
{
    private static KnowledgeBase Kb => TestKnowledge.Kb;

    [Fact]
    public void The_engine_s_conjugates_are_the_her2_conjugate_group_the_rules_name()
    {
        // The hypersensitivity and lung-toxicity facts read Kb.Conjugates; the rules target the group: one set.
        Assert.Equal(Kb.FindGroup("her2-conjugate")!.Members, Kb.Conjugates);
        Assert.False(Kb.Conjugates.IsEmpty);
    }

    [Fact]
    public void The_embedded_knowledge_base_loads_without_errors()
    {
        var result = KnowledgeLoader.LoadEmbedded();

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void The_knowledge_directory_and_the_embedded_copy_are_the_same()
    {
        var fromDirectory = KnowledgeLoader.LoadDirectory(Path.Combine(TestKnowledge.RepositoryRoot, "knowledge"));

        Assert.True(fromDirectory.Succeeded, string.Join(Environment.NewLine, fromDirectory.Errors));
        Assert.Equal(Kb.Statements.Select(s => s.Id), fromDirectory.Knowledge!.Statements.Select(s => s.Id));
        Assert.Equal(Kb.Statements.Select(s => s.Quote), fromDirectory.Knowledge.Statements.Select(s => s.Quote));
    }

    [Fact]
    public void Every_quote_is_the_seed_s_own_words()
    {
        var errors = SeedQuoteVerifier.Verify(Kb, TestKnowledge.SeedsDirectory);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Every_statement_names_its_seed_file_and_every_non_silence_quotes_it()
    {
        Assert.All(Kb.Statements, s =>
        {
            Assert.NotNull(s.Source.File);
            if (s.Kind != StatementKind.Silence)
            {
                Assert.False(string.IsNullOrWhiteSpace(s.Quote), s.Id);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(s.Interpretation), s.Id);
            }
        });
    }

    [Fact]
    public void Each_single_source_edition_quotes_only_its_own_seed()
    {
        foreach (var edition in Kb.Editions.Where(e => !e.IsCombined))
        {
            var seed = Assert.Single(edition.Sources);
            Assert.All(edition.Statements, s => Assert.Equal(seed, s.Source));
        }
    }

    [Fact]
    public void Statements_are_graded_with_the_vocabulary_for_statements()
    {
        Assert.All(Kb.Statements, s => Assert.NotEqual(Strength.ProductLabel, s.Strength));
    }

    [Fact]
    public void Every_safety_rule_names_a_source_and_quotes_seeds_where_it_cites_one()
    {
        Assert.All(Kb.SafetyRules, r =>
        {
            if (r.Source.File is not null)
            {
                Assert.False(string.IsNullOrWhiteSpace(r.Quote), r.Id);
            }
        });
    }

    [Fact]
    public void Trial_figures_not_checked_in_evidence_md_say_so()
    {
        var results = Kb.Trials.SelectMany(t => t.Results).ToArray();

        Assert.All(results.Where(r => r.Verified), r => Assert.Equal("evidence-md", r.Source.Id));
        Assert.All(results.Where(r => r.Source.Id != "evidence-md"), r => Assert.False(r.Verified));
    }

    [Fact]
    public void Agent_codes_are_the_checked_ones_or_absent()
    {
        var expected = new Dictionary<string, string>
        {
            ["trastuzumab"] = "224905",
            ["pertuzumab"] = "1298944",
            ["docetaxel"] = "72962",
            ["paclitaxel"] = "56946",
            ["tucatinib"] = "2361285",
            ["lapatinib"] = "480167",
            ["neratinib"] = "1940643",
            ["capecitabine"] = "194000",
            ["trastuzumab-emtansine"] = "1371041",
            ["trastuzumab-deruxtecan"] = "2267582",
        };

        foreach (var (id, code) in expected)
        {
            Assert.Equal(code, Kb.FindAgent(id)!.RxNorm!.Code);
        }

        Assert.All(Kb.Agents, a => Assert.Equal(a.Name, a.Name.ToLowerInvariant()));
    }

    [Fact]
    public void Every_regimen_can_be_reached_by_some_statement()
    {
        var mentioned = Kb.Statements.SelectMany(s => s.Recommends.Select(r => r.Regimen)).ToHashSet();

        Assert.All(Kb.Regimens, r => Assert.Contains(r, mentioned));
    }

    [Fact]
    public void Supersession_only_points_back_in_time()
    {
        Assert.All(Kb.Statements.SelectMany(s => s.Supersedes.Select(old => (s, old))),
            pair => Assert.True(pair.old.Edition.Precedence < pair.s.Edition.Precedence, $"{pair.s.Id} -> {pair.old.Id}"));
    }
}
