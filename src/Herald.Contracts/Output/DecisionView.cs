using Herald.Contracts.Patients;
using Herald.Core;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;

namespace Herald.Contracts.Output;

/// <summary>
/// The small derivations every renderer of a decision shares (the CLI's text and Markdown, the CDS Hooks cards):
/// labels, orderings and lookups. All clinical wording comes from <see cref="DecisionText"/>; this only arranges it.
/// </summary>
public static class DecisionView
{
    public const string Disclaimer = "Decision support only: the treating team decides.";

    public static string EditionLabel(Edition edition) => $"Edition {edition.Id}: {edition.Name}";

    /// <summary>"1", or "2=" when other options share the rank.</summary>
    public static string Rank(RankedOption option) => option.Tied ? $"{option.Rank}=" : option.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string RegimenName(RankedOption option, KnowledgeBase kb) => DecisionText.RegimenName(option.Regimen, option.Agents, kb);

    public static string RegimenName(RegimenVerdict verdict, KnowledgeBase kb) => DecisionText.RegimenName(verdict.Regimen, verdict.Agents, kb);

    public static string Agents(RankedOption option, KnowledgeBase kb) => string.Join(" + ", DecisionText.AgentNames(option.Regimen, option.Agents, kb));

    public static string PointTitle(DecisionPoint point) =>
        point.Line is { } line ? $"{point.Kind.Label()} (line {line})" : point.Kind.Label();

    /// <summary>"PFS (primary): 9.6 vs 6.4 months; HR 0.65 (0.55-0.77). Verified against the publication."</summary>
    public static string Result(TrialResult result)
    {
        var analysis = result.Analysis is { Length: > 0 } a ? $" ({a})" : "";
        var check = result.Verified
            ? "Verified against the publication."
            : $"Not verified against the publication: as stated in {result.Source.Citation}.";
        return $"{result.Endpoint}{analysis}: {result.Text}. {check}";
    }

    /// <summary>"PFS (primary): 9.6 vs 6.4 months; HR 0.65 (0.55-0.77)", marked "(unverified)" when not checked against the publication.</summary>
    public static string ResultShort(TrialResult result)
    {
        var analysis = result.Analysis is { Length: > 0 } a ? $" ({a})" : "";
        return $"{result.Endpoint}{analysis}: {result.Text}{(result.Verified ? "" : " (unverified)")}";
    }

    /// <summary>"cited by statement a" or "cited by statements a, b".</summary>
    public static string CitedBy(IReadOnlyList<Statement> statements) => statements.Count switch
    {
        0 => "cited by no supporting statement",
        1 => $"cited by statement {statements[0].Id}",
        _ => $"cited by statements {string.Join(", ", statements.Select(s => s.Id))}",
    };

    /// <summary>
    /// The trials behind an option that are not trials of its regimen, grouped by the statements that cite them:
    /// "DESTINY-Breast01, NALA (cited by statement panel21-third-line-options)". A statement that supports several
    /// regimens cites the trials of all of them; these are not this regimen's evidence. Null when there are none.
    /// </summary>
    public static string? CitedOnly(RankedOption option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return CitedOnly(option.Evidence());
    }

    /// <summary>The same, from the option's evidence when the caller has it already.</summary>
    public static string? CitedOnly(IReadOnlyList<EvidenceItem> evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var groups = new List<(IReadOnlyList<Statement> By, List<string> Trials)>();
        foreach (var item in evidence.Where(e => !e.OfThisRegimen))
        {
            var group = groups.FirstOrDefault(g => g.By.SequenceEqual(item.CitedBy));
            if (group.Trials is null)
            {
                groups.Add((item.CitedBy, [item.Trial.Name]));
            }
            else
            {
                group.Trials.Add(item.Trial.Name);
            }
        }

        return groups.Count == 0
            ? null
            : "Not trials of this regimen: " + string.Join("; ", groups.Select(g => $"{string.Join(", ", g.Trials)} ({CitedBy(g.By)})")) + ".";
    }

    /// <summary>
    /// Each caution and monitoring note of the ranked options once, with the options it concerns: most notes (no LVEF,
    /// LVEF monitoring on trastuzumab) apply to several options, and a reader should meet them once.
    /// </summary>
    public static IReadOnlyList<NoteGroup> NoteGroups(Decision decision)
    {
        var groups = new List<NoteGroup>();
        foreach (var option in decision.Recommendations)
        {
            foreach (var (note, monitoring) in option.Cautions.Select(n => (n, false)).Concat(option.Monitoring.Select(n => (n, true))))
            {
                var text = WithSource(DecisionText.Note(note, decision.Facts), Source(note));
                var group = groups.FirstOrDefault(g => g.Text == text && g.Monitoring == monitoring && g.WeighsAgainst == note.WeighsAgainst);
                if (group is null)
                {
                    groups.Add(new NoteGroup(text, monitoring, note.WeighsAgainst, [option]));
                }
                else if (!group.Options.Contains(option))
                {
                    group.Options.Add(option);
                }
            }
        }

        // Cautions before monitoring; those weighing against an option first; otherwise in the order met.
        return groups.Select((g, i) => (g, i)).OrderBy(x => x.g.Monitoring).ThenBy(x => !x.g.WeighsAgainst).ThenBy(x => x.i).Select(x => x.g).ToArray();
    }

    /// <summary>"every option", or the options by rank and agents ("2 lapatinib + trastuzumab").</summary>
    public static string OptionsNamed(IReadOnlyList<RankedOption> options, Decision decision) =>
        options.Count == decision.Recommendations.Count && options.Count > 1
            ? "every option"
            : string.Join("; ", options.Select(o => $"{Rank(o)} {Agents(o, decision.Knowledge)}"));

    public static string TrialStatus(Trial trial) =>
        trial.StatusInSeeds is { } status
            ? $"{status} (as the dated sources gave it; check the registry)"
            : "not given by the sources; check the registry";

    public static string TrialHeading(Trial trial) => trial.Nct is { } nct ? $"{trial.Name} ({nct})" : trial.Name;

    /// <summary>"id, citation" of the statement or rule behind a line of output; null for the engine's own.</summary>
    public static string? Source(Statement? statement, SafetyRule? rule) => (statement, rule) switch
    {
        ({ } s, _) => $"{s.Id}, {DecisionText.Citation(s)}",
        (null, { } r) => $"{r.Id}, {r.Source.Citation}",
        _ => null,
    };

    public static string? Source(Note note) => Source(note.Statement, note.Rule);

    public static string? Source(DecisionAlert alert) => Source(alert.Statement, alert.Rule);

    /// <summary>A reason names its safety rule first (as the JSON output does), else its statement.</summary>
    public static string? Source(Reason reason) => reason.Rule is { } r ? Source(null, r) : Source(reason.Statement, null);

    public static string WithSource(string text, string? source) => source is null ? text : $"{text} \u2014 {source}";

    /// <summary>Verdicts whose reasons read the same, merged so that each reason is said once; each reason ends with its source.</summary>
    public static IReadOnlyList<VerdictGroup> Group(IReadOnlyList<RegimenVerdict> verdicts, Decision decision)
    {
        var groups = new List<VerdictGroup>();
        foreach (var verdict in verdicts)
        {
            var reasons = verdict.Reasons.Select(r => WithSource(DecisionText.Reason(r, decision), Source(r))).ToArray();
            var group = groups.FirstOrDefault(g => g.Reasons.SequenceEqual(reasons));
            if (group is null)
            {
                groups.Add(new VerdictGroup([RegimenName(verdict, decision.Knowledge)], reasons));
            }
            else
            {
                group.Regimens.Add(RegimenName(verdict, decision.Knowledge));
            }
        }

        return groups;
    }

    /// <summary>
    /// Verdicts in brief, for a summary: each reason without its statement's title, reasons that read the same merged
    /// with the ids of their statements or rules ("… [asco14-a, cons16-b]"), and verdicts whose reasons read the same merged.
    /// </summary>
    public static IReadOnlyList<VerdictGroup> GroupBrief(IReadOnlyList<RegimenVerdict> verdicts, Decision decision)
    {
        var groups = new List<VerdictGroup>();
        foreach (var verdict in verdicts)
        {
            var merged = new List<(string Text, List<string> Ids)>();
            foreach (var reason in verdict.Reasons)
            {
                var text = DecisionText.ReasonShort(reason, decision);
                var entry = merged.FirstOrDefault(m => m.Text == text);
                if (entry.Ids is null)
                {
                    entry = (text, []);
                    merged.Add(entry);
                }

                if (DecisionText.ReasonRef(reason) is { } id && !entry.Ids.Contains(id))
                {
                    entry.Ids.Add(id);
                }
            }

            var reasons = merged.Select(m => m.Ids.Count == 0 ? m.Text : $"{m.Text} [{string.Join(", ", m.Ids)}]").ToArray();
            var group = groups.FirstOrDefault(g => g.Reasons.SequenceEqual(reasons));
            if (group is null)
            {
                groups.Add(new VerdictGroup([RegimenName(verdict, decision.Knowledge)], reasons));
            }
            else
            {
                group.Regimens.Add(RegimenName(verdict, decision.Knowledge));
            }
        }

        return groups;
    }

    /// <summary>Short words for a strength, for summaries; answers give the full label beside them elsewhere.</summary>
    public static string StrengthWords(Strength strength) => strength switch
    {
        Strength.PhaseIII => "phase III evidence",
        Strength.PhaseII => "phase II evidence",
        Strength.Exploratory => "exploratory evidence",
        Strength.ExpertOpinion => "expert opinion",
        Strength.NoData => "no data",
        _ => strength.Label(),
    };

    public static string SeverityWord(Severity severity) => severity switch
    {
        Severity.Critical => "CRITICAL",
        Severity.Warning => "WARNING",
        _ => "INFO",
    };

    /// <summary>Blocking requests first, otherwise in the engine's order.</summary>
    public static IEnumerable<MissingItem> MissingBlockingFirst(Decision decision) =>
        decision.MissingData.Select((item, index) => (item, index))
            .OrderBy(x => x.item.Blocking ? 0 : 1)
            .ThenBy(x => x.index)
            .Select(x => x.item);

    public static string CriterionStatus(Tri status) => status switch
    {
        Tri.True => "met",
        Tri.False => "not met",
        _ => "unknown",
    };

    public static string TrialWhy(TrialSuggestion suggestion) => suggestion switch
    {
        { Statement: { } s } => $"{s.Title} ({s.Id}; {DecisionText.Citation(s)})",
        { Rule: { } r } => $"{r.Title} ({r.Id}; {r.Source.Citation})",
        _ => "",
    };

    public static string StatementCitation(Statement statement) =>
        $"{DecisionText.Citation(statement)}; {statement.Voice}; {statement.Strength.Label()}";

    // The lines of therapy as Herald reads them.

    public static string LineAgents(TherapyLine line, KnowledgeBase kb) => kb.DescribeAgents(line.Agents);

    public static string LineDates(TherapyLine line) =>
        $"{DecisionText.Date(line.Start)} to {(line.Stop is { } stop ? DecisionText.Date(stop) : "ongoing")}";

    public static string LineOutcome(TherapyLine line)
    {
        var parts = new List<string>(4);
        if (line.Source.BestResponse is { } response)
        {
            parts.Add("best response " + Words(PatientVocabulary.Response.Id(response)));
        }

        if (line.Source.StopReason is { } reason)
        {
            parts.Add("stopped: " + Words(PatientVocabulary.StopReason.Id(reason)));
        }
        else if (line.IsFailingNow)
        {
            parts.Add("progressing now");
        }

        if (line.EndedByProgression)
        {
            parts.Add(line.ProgressionAtFirstAssessment switch
            {
                Tri.True => "progression at the first assessment",
                Tri.False => "not at the first assessment",
                _ => "first-assessment progression not recorded",
            });
        }

        if (line.Source.TaxaneStopped is { } taxaneStopped)
        {
            parts.Add("taxane stopped " + DecisionText.Date(taxaneStopped));
        }

        return parts.Count == 0 ? "-" : string.Join("; ", parts);
    }

    public static string LineKind(TherapyLine line) =>
        line.IsDualAntiHer2 ? "dual anti-HER2" : line.IsAntiHer2 ? "anti-HER2" : "no anti-HER2 agent";

    /// <summary>A vocabulary id as words: "partial-response" → "partial response".</summary>
    public static string Words(string id) => id.Replace('-', ' ');

    public static string Capitalise(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>Regimens excluded (or not indicated) for the same reasons.</summary>
public sealed record VerdictGroup(List<string> Regimens, IReadOnlyList<string> Reasons);

/// <summary>A caution or monitoring note (with its source) and the ranked options it concerns.</summary>
public sealed record NoteGroup(string Text, bool Monitoring, bool WeighsAgainst, List<RankedOption> Options);
