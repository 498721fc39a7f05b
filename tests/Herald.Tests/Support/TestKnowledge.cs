using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Knowledge;

namespace Herald.Tests.Support;

/// <summary>The shipped knowledge base and an engine over it, shared by the scenario tests.</summary>
public static class TestKnowledge
{
    public static KnowledgeBase Kb => KnowledgeLoader.LoadEmbeddedOrThrow();

    private static readonly Lazy<DecisionEngine> LazyEngine = new(() => new DecisionEngine(Kb));

    public static DecisionEngine Engine => LazyEngine.Value;

    public static PatientBuilder Patient() => new(Kb);

    public static Decision Decide(Patient patient, string asOf = "2026-01-15", string? edition = null, bool trace = false)
    {
        var chosen = edition is null ? null : Kb.FindEdition(edition) ?? throw new ArgumentException($"unknown edition {edition}");
        return Engine.Decide(patient, PatientBuilder.D(asOf), chosen, trace);
    }

    public static Decision Decide(PatientBuilder builder, string asOf = "2026-01-15", string? edition = null, bool trace = false) =>
        Decide(builder.Build(), asOf, edition, trace);

    /// <summary>The repository root, found from the test binaries (the directory holding Herald.slnx).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Herald.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Herald.slnx).");
        }
    }

    /// <summary>../shared/seeds beside the repository: CI provides it; a test that needs it fails without it.</summary>
    public static string SeedsDirectory
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "seeds"));
            return Directory.Exists(path)
                ? path
                : throw new DirectoryNotFoundException($"The seed documents are expected at {path} (../shared/seeds beside the repository).");
        }
    }
}

public static class DecisionAssertions
{
    public static RankedOption? Option(this Decision d, string regimenId) =>
        d.Recommendations.FirstOrDefault(r => r.Regimen.Id == regimenId);

    public static int RankOf(this Decision d, string regimenId) =>
        d.Option(regimenId)?.Rank ?? throw new Xunit.Sdk.XunitException(
            $"{regimenId} is not recommended. Recommended: {string.Join(", ", d.Recommendations.Select(r => $"{r.Rank}:{r.Regimen.Id}"))}; " +
            $"excluded: {string.Join(", ", d.Excluded.Select(e => e.Regimen.Id))}");

    public static bool Recommends(this Decision d, string regimenId) => d.Option(regimenId) is not null;

    public static RegimenVerdict? ExclusionOf(this Decision d, string regimenId) =>
        d.Excluded.FirstOrDefault(e => e.Regimen.Id == regimenId);

    public static RegimenVerdict? NotIndicatedEntry(this Decision d, string regimenId) =>
        d.NotIndicated.FirstOrDefault(e => e.Regimen.Id == regimenId);

    public static void AssertExcludedBy(this Decision d, string regimenId, string ruleId)
    {
        Assert.False(d.Recommends(regimenId), $"{regimenId} must not be recommended");
        var verdict = d.ExclusionOf(regimenId);
        Assert.True(verdict is not null, $"{regimenId} should be excluded; excluded: {string.Join(", ", d.Excluded.Select(e => e.Regimen.Id))}");
        Assert.Contains(verdict!.Reasons, r => r.Rule?.Id == ruleId);
    }

    public static void AssertNotIndicated(this Decision d, string regimenId)
    {
        Assert.False(d.Recommends(regimenId), $"{regimenId} must not be recommended");
        Assert.True(d.NotIndicatedEntry(regimenId) is not null || d.ExclusionOf(regimenId) is not null,
            $"{regimenId} should be listed as not indicated");
    }

    public static bool HasAlertFrom(this Decision d, string statementOrRuleId) =>
        d.Alerts.Any(a => a.Statement?.Id == statementOrRuleId || a.Rule?.Id == statementOrRuleId);

    public static bool AsksFor(this Decision d, string field) => d.MissingData.Any(m => m.Field == field);

    public static bool CitedBy(this RankedOption option, string statementId) =>
        option.Statements.Any(s => s.Statement.Id == statementId);

    public static string Describe(this Decision d) =>
        $"{d.Point.Kind.Id()} line {d.Point.Line}: " +
        string.Join("; ", d.Recommendations.Select(r => $"{r.Rank}. {r.Regimen.Id}{(r.WeighedAgainst ? " (weighed against)" : "")}"));
}
