using Herald.Core.Knowledge;

namespace Herald.Tests.Knowledge;

public sealed class KnowledgeLoaderTests : IDisposable
{
    private const string StatementsPath = "knowledge/" + KnowledgeDirectory.StatementsFile;

    private readonly KnowledgeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public void A_valid_directory_loads()
    {
        var result = directory.Load();

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var statement = Assert.Single(result.Knowledge!.Statements);
        Assert.Equal("second-line-tdm1", statement.Id);
        Assert.Empty(result.Knowledge.SafetyRules);
    }

    [Fact]
    public void A_yaml_syntax_error_names_the_file_line_and_column()
    {
        const string agents = """
            agents:
              - id: trastuzumab
                name: trastuzumab
                class: anti-her2-antibody: oops
                routes: [intravenous]
            """;
        directory.Write("agents.yaml", agents);

        var error = Assert.Single(directory.Load().Errors);

        Assert.Equal(new("knowledge/agents.yaml", KnowledgeDirectory.LineOf(agents, "oops")), error.Location);
        Assert.StartsWith("YAML syntax error at column ", error.Message);
    }

    [Fact]
    public void An_unknown_property_names_the_file_line_and_property()
    {
        var statements = KnowledgeDirectory.Statements.Replace("    quote:", "    qoute:");
        directory.Write(KnowledgeDirectory.StatementsFile, statements);

        var error = Assert.Single(directory.Load().Errors);

        Assert.Equal(new(StatementsPath, KnowledgeDirectory.LineOf(statements, "qoute:")), error.Location);
        Assert.Equal("statements[0]: property 'qoute' is not allowed (did you mean 'quote'?)", error.Message);
        Assert.Equal($"{StatementsPath}:9: statements[0]: property 'qoute' is not allowed (did you mean 'quote'?)", error.ToString());
    }

    [Fact]
    public void A_hazard_ratio_outside_its_own_interval_is_refused()
    {
        directory.Write("trials.yaml", """
            trials:
              - id: mistyped
                name: MISTYPED
                design: Phase III, randomised
                setting: First line
                arms: A vs B
                results:
                  - endpoint: PFS
                    text: HR 0.62 (0.71-0.75)
                    verified: false
                    source: seed-000
                source: seed-000

            """);

        var error = Assert.Single(directory.Load().Errors);

        Assert.Contains("trial mistyped: 'HR 0.62 (0.71-0.75)' gives a hazard ratio outside its own confidence interval", error.Message);
    }

    [Fact]
    public void A_missing_required_property_points_at_its_item()
    {
        var statements = KnowledgeDirectory.Statements.Replace("    voice: The panel\n", "");
        directory.Write(KnowledgeDirectory.StatementsFile, statements);

        var error = Assert.Single(directory.Load().Errors);

        Assert.Equal(new(StatementsPath, KnowledgeDirectory.LineOf(statements, "- id: second-line-tdm1")), error.Location);
        Assert.Equal("statements[0]: property 'voice' is required", error.Message);
    }

    [Fact]
    public void A_value_outside_its_vocabulary_names_the_line_and_the_allowed_values()
    {
        var statements = KnowledgeDirectory.Statements.Replace("strength: phase-iii", "strength: strong");
        directory.Write(KnowledgeDirectory.StatementsFile, statements);

        var error = Assert.Single(directory.Load().Errors);

        Assert.Equal(new(StatementsPath, KnowledgeDirectory.LineOf(statements, "strength: strong")), error.Location);
        Assert.Equal("statements[0].strength: 'strong' is not one of phase-iii, phase-ii, exploratory, expert-opinion, no-data", error.Message);
    }

    [Fact]
    public void An_unknown_regimen_is_reported_at_the_statement_that_names_it()
    {
        var statements = KnowledgeDirectory.Statements.Replace("regimen: trastuzumab-emtansine", "regimen: no-such-regimen");
        directory.Write(KnowledgeDirectory.StatementsFile, statements);

        var errors = directory.Load().Errors;

        Assert.Contains(
            new(new(StatementsPath, KnowledgeDirectory.LineOf(statements, "- id: second-line-tdm1")), "statement second-line-tdm1: recommends unknown regimen 'no-such-regimen'"),
            errors);
    }

    [Fact]
    public void Errors_in_several_files_are_all_reported()
    {
        var sources = """
            sources:
              - id: seed-000
                title: A seed document
                file: seed-000.txt
                year: twenty fourteen
                citation: Seed 000
            """;
        var agents = """
            agents:
              - id: trastuzumab
                name: trastuzumab
                class: anti-her2-antibody
                route: [intravenous]
            """;
        var statements = KnowledgeDirectory.Statements.Replace("at: [second-line]", "at: [second-line, fifth-line]");
        directory.Write("sources.yaml", sources);
        directory.Write("agents.yaml", agents);
        directory.Write(KnowledgeDirectory.StatementsFile, statements);

        var errors = directory.Load().Errors;

        Assert.Equal(
            [
                $"knowledge/agents.yaml:{KnowledgeDirectory.LineOf(agents, "- id: trastuzumab")}: agents[0]: property 'routes' is required",
                $"knowledge/agents.yaml:{KnowledgeDirectory.LineOf(agents, "route:")}: agents[0]: property 'route' is not allowed (did you mean 'routes'?)",
                $"knowledge/sources.yaml:{KnowledgeDirectory.LineOf(sources, "year:")}: sources[0].year: expected a whole number, found text 'twenty fourteen'",
                $"{StatementsPath}:{KnowledgeDirectory.LineOf(statements, "at: [")}: statements[0].at[1]: 'fifth-line' is not one of first-line, second-line, later-line, maintenance, progression-on-maintenance, continuation-after-complete-response, continue-current-therapy, brain-metastases-local-therapy, any",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Yes_and_no_stay_text_but_an_unquoted_number_in_a_text_field_is_rejected()
    {
        var agents = """
            agents:
              - id: trastuzumab
                name: trastuzumab
                abbreviation: no
                class: anti-her2-antibody
                routes: [intravenous]
              - id: trastuzumab-emtansine
                name: trastuzumab emtansine
                class: antibody-drug-conjugate
                routes: [intravenous]
              - id: lapatinib
                name: lapatinib
                abbreviation: yes
                class: her2-tyrosine-kinase-inhibitor
                routes: [oral]
            """;
        directory.Write("agents.yaml", agents);
        var loaded = directory.Load();
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        Assert.Equal("no", loaded.Knowledge!.Trastuzumab.Abbreviation);
        Assert.Equal("yes", loaded.Knowledge.Lapatinib.Abbreviation);

        directory.Write("agents.yaml", agents.Replace("routes: [oral]", "routes: [oral]\n    rxnorm: { code: 480167, confidence: high }"));
        var error = Assert.Single(directory.Load().Errors);

        Assert.Equal("agents[2].rxnorm.code: expected text, found the number 480167 (put the value in quotes to make it text)", error.Message);
    }

    [Fact]
    public void A_stray_yaml_file_and_a_missing_required_file_are_reported()
    {
        directory.Write("safety-rule.yaml", "rules: []\n");
        directory.Delete("trials.yaml");

        var errors = directory.Load().Errors.Select(e => e.ToString()).ToList();

        Assert.Contains("knowledge/trials.yaml is missing", errors);
        Assert.Contains(errors, e => e.StartsWith("knowledge/safety-rule.yaml:1: not a knowledge file", StringComparison.Ordinal));
    }

    [Fact]
    public void Safety_rules_are_read_and_located()
    {
        var rules = """
            rules:
              - id: no-tdm1
                title: No T-DM1
                when: heart-failure
                target: { agents: [trastuzumab-emtansine] }
                effect: exclude
                text: Heart failure.
                source: seed-000
                strength: expert-opinion
                qoute: typo
            """;
        directory.Write("safety-rules.yaml", rules);

        var error = Assert.Single(directory.Load().Errors);
        Assert.Equal($"knowledge/safety-rules.yaml:{KnowledgeDirectory.LineOf(rules, "qoute")}: rules[0]: property 'qoute' is not allowed (did you mean 'quote'?)", error.ToString());

        directory.Write("safety-rules.yaml", rules.Replace("\n    qoute: typo", ""));
        var loaded = directory.Load();
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        Assert.Equal("no-tdm1", Assert.Single(loaded.Knowledge!.SafetyRules).Id);
    }
}
