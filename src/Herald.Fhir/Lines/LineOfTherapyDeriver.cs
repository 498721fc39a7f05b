using System.Globalization;
using Herald.Core.Knowledge;

namespace Herald.Fhir.Lines;

/// <summary>
/// Derives metastatic lines of therapy (and early-disease regimens) from medication records, with the
/// real-world-evidence rules of Meng et al. 2019 as evidence.md summarises them. Pure: "now" is
/// <c>asOf</c>. docs/lines-of-therapy.md states every rule; each derived line lists the rules it used.
/// </summary>
public static class LineOfTherapyDeriver
{
    public static LineDerivation Derive(
        IReadOnlyList<MedicationUse> uses,
        DateOnly metastaticDiagnosis,
        IReadOnlyList<DiseaseStatusObservation> statuses,
        DateOnly asOf,
        KnowledgeBase kb)
    {
        ArgumentNullException.ThrowIfNull(uses);
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentNullException.ThrowIfNull(kb);

        var notes = new List<MappingNote>();
        var early = new List<Exposure>();
        var metastatic = new List<Exposure>();
        foreach (var use in uses)
        {
            if (use.Start > asOf)
            {
                notes.Add(new MappingNote("metastaticRegimens", $"Starts {Format(use.Start)}, after the assessment date {Format(asOf)}: not counted.", use.Source));
                continue;
            }

            var isEarly = use.Intent == TreatmentIntent.Curative || use.Start < metastaticDiagnosis;
            if (isEarly && use.Start >= metastaticDiagnosis)
            {
                notes.Add(new MappingNote(
                    "earlyDisease.regimens",
                    $"Given with curative intent from {Format(use.Start)}, after the metastatic diagnosis ({Format(metastaticDiagnosis)}): early-disease treatment, not a metastatic line.",
                    use.Source));
            }

            foreach (var agentId in use.Agents.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var agent = kb.FindAgent(agentId);
                if (agent is null)
                {
                    notes.Add(new MappingNote("metastaticRegimens", $"'{agentId}' is not a knowledge-base agent: left out of the lines.", use.Source));
                    continue;
                }

                (isEarly ? early : metastatic).Add(new Exposure(use, agent, asOf));
            }
        }

        // Endocrine therapy for early disease runs for years beside or after the HER2 therapy: it is a regimen of its own,
        // so the end of the HER2 therapy (which the 12-month rule and early failure count from) is not hidden behind it.
        var earlyEndocrine = early.Where(e => kb.Endocrine.Contains(e.Agent)).ToList();
        var earlyGroups = BuildGroups(early.Except(earlyEndocrine).ToList(), kb).Concat(BuildGroups(earlyEndocrine, kb))
            .OrderBy(g => g.Start).ToList();
        foreach (var group in earlyGroups.Where(g => g.Exposures.All(e => kb.Endocrine.Contains(e.Agent))))
        {
            group.Rules.Add($"{LineRules.EarlyEndocrine}: endocrine therapy for early disease is a regimen of its own");
        }

        var metastaticGroups = BuildGroups(metastatic, kb);
        var sortedStatuses = statuses
            .Where(s => s.Status != DiseaseStatus.Unknown)
            .OrderBy(s => s.Date)
            .ThenBy(s => s.Source, StringComparer.Ordinal)
            .ToList();

        var earlyTreatments = earlyGroups.Select(g => ToEarlyTreatment(g, metastaticDiagnosis, notes)).ToList();
        var lines = new List<DerivedLine>();
        var responseNoteGiven = false;
        for (var i = 0; i < metastaticGroups.Count; i++)
        {
            var next = i + 1 < metastaticGroups.Count ? metastaticGroups[i + 1] : null;
            lines.Add(ToLine(metastaticGroups[i], i + 1, next, sortedStatuses, asOf, notes, ref responseNoteGiven));
        }

        return new LineDerivation(earlyTreatments, lines, notes);
    }

    // ---- grouping: the same rules for metastatic lines and early-disease regimens ----

    private static List<Group> BuildGroups(List<Exposure> exposures, KnowledgeBase kb)
    {
        var groups = new List<Group>();
        Group? current = null;
        DateOnly lastTreated = default;
        var days = exposures
            .OrderBy(e => e.Start)
            .ThenBy(e => e.Use.Source, StringComparer.Ordinal)
            .ThenBy(e => e.Agent.Index)
            .GroupBy(e => e.Start);

        // A whole day is decided at once, so a drug of the old regimen given on the day a new drug starts
        // belongs to the new line whatever order the records come in.
        foreach (var day in days)
        {
            var date = day.Key;
            var dayAgents = day.Select(e => e.Agent).Distinct().ToList();
            if (current is null)
            {
                current = Open(groups, date, $"{LineRules.FirstLine}: the first treatment on or after the metastatic diagnosis starts line 1");
            }
            else if (date.DayNumber - lastTreated.DayNumber > LineRules.MaxTreatmentGapDays)
            {
                var gap = date.DayNumber - lastTreated.DayNumber;
                current = Open(groups, date,
                    $"{LineRules.TreatmentGap}: no treatment for {gap} days ({Format(lastTreated)} to {Format(date)}), more than {LineRules.MaxTreatmentGapDays}: new line");
            }
            else if (date > current.WindowEnd)
            {
                var substitutes = new List<string>();
                var newAgents = new List<Agent>();
                foreach (var agent in dayAgents.Where(a => !current.Regimen.Contains(a) && !current.Substitutes.Contains(a)))
                {
                    var replaced = current.Regimen.FirstOrDefault(r => AreListedSubstitutes(r, agent));
                    if (replaced is not null)
                    {
                        substitutes.Add($"{LineRules.Substitution}: {agent.Name} for {replaced.Name} on {Format(date)} is a listed substitution: same line");
                    }
                    else
                    {
                        newAgents.Add(agent);
                    }
                }

                if (newAgents.Count > 0 && newAgents.All(kb.Endocrine.Contains) && current.Regimen.Any(a => !kb.Endocrine.Contains(a)))
                {
                    // Endocrine therapy added to a running regimen (seed 000: "endocrine therapy can be added" to the
                    // HER2-targeted maintenance) does not start a new line.
                    current.Rules.Add($"{LineRules.EndocrineAdded}: {Names(newAgents)} added {Format(date)} to the running regimen: same line");
                    current.Substitutes.UnionWith(newAgents);
                }
                else if (newAgents.Count > 0)
                {
                    var previous = current;
                    current = Open(groups, date,
                        $"{LineRules.NewDrug}: {Names(newAgents)} started {Format(date)}, {date.DayNumber - previous.Start.DayNumber} days after the previous line began, outside its {LineRules.RegimenWindowDays}-day window: new line");
                    current.Previous = previous;
                }
                else
                {
                    current.Rules.AddRange(substitutes);
                    current.Substitutes.UnionWith(dayAgents.Where(a => !current.Regimen.Contains(a)));

                    var pause = date.DayNumber - lastTreated.DayNumber;
                    if (pause > LineRules.RegimenWindowDays)
                    {
                        current.Rules.Add($"{LineRules.SameDrugsRestarted}: {Names(dayAgents)} given again {Format(date)} after {pause} days without treatment (not more than {LineRules.MaxTreatmentGapDays}): same line");
                    }
                }
            }

            if (date <= current.WindowEnd)
            {
                foreach (var agent in dayAgents)
                {
                    current.Regimen.Add(agent);
                }
            }

            foreach (var exposure in day)
            {
                current.Exposures.Add(exposure);
                if (exposure.End > lastTreated)
                {
                    lastTreated = exposure.End;
                }
            }
        }

        foreach (var group in groups)
        {
            group.Agents = group.Exposures
                .GroupBy(e => e.Agent)
                .OrderBy(g => g.Min(e => e.Start))
                .ThenBy(g => g.Key.Index)
                .Select(g => g.Key)
                .ToList();
        }

        return groups;
    }

    private static Group Open(List<Group> groups, DateOnly start, string rule)
    {
        var group = new Group(start);
        group.Rules.Add(rule);
        groups.Add(group);
        return group;
    }

    private static bool AreListedSubstitutes(Agent a, Agent b) =>
        LineRules.ListedSubstitutions.Any(s =>
            (string.Equals(s.A, a.Id, StringComparison.Ordinal) && string.Equals(s.B, b.Id, StringComparison.Ordinal))
            || (string.Equals(s.A, b.Id, StringComparison.Ordinal) && string.Equals(s.B, a.Id, StringComparison.Ordinal)));

    // ---- early disease ----

    private static EarlyTreatment ToEarlyTreatment(Group group, DateOnly metastaticDiagnosis, List<MappingNote> notes)
    {
        var running = group.Exposures.Where(e => e.Running).ToList();
        DateOnly? stop = running.Count > 0 ? null : group.Exposures.Max(e => e.End);
        if (group.Start < metastaticDiagnosis && (stop is null || stop > metastaticDiagnosis))
        {
            // The native input keeps early regimens before the metastatic diagnosis; a record that runs past
            // it is cut there, and the clinician is told.
            var past = running.FirstOrDefault() ?? group.Exposures.MaxBy(e => e.End)!;
            notes.Add(new MappingNote(
                "earlyDisease.regimens",
                $"{past.Agent.Name} started {Format(past.Start)}, before the metastatic diagnosis, and runs past it ({(past.Running ? "still active" : "to " + Format(past.End))}): counted as early-disease treatment stopping at the metastatic diagnosis {Format(metastaticDiagnosis)}.",
                past.Use.Source));
            stop = metastaticDiagnosis;
        }

        return new EarlyTreatment(group.Agents.Select(a => a.Id).ToList(), group.Start, stop, Sources(group.Exposures));
    }

    // ---- metastatic lines ----

    private static DerivedLine ToLine(
        Group group,
        int number,
        Group? next,
        List<DiseaseStatusObservation> statuses,
        DateOnly asOf,
        List<MappingNote> notes,
        ref bool responseNoteGiven)
    {
        var rules = new List<string>(group.Rules);
        var field = $"metastaticRegimens[{number - 1}]";
        var regimenNames = Names(group.Agents.Where(group.Regimen.Contains));
        rules.Add($"{LineRules.RegimenWindow}: the regimen is the drugs started within {LineRules.RegimenWindowDays} days of {Format(group.Start)} ({regimenNames})");
        if (group.Previous is { } previous)
        {
            var carried = group.Agents.Where(a => previous.Regimen.Contains(a) && group.Regimen.Contains(a)).ToList();
            if (carried.Count > 0)
            {
                rules.Add($"{LineRules.Continued}: {Names(carried)} of line {number - 1} given again within this line's window: part of this line's regimen");
            }
        }

        foreach (var perAgent in group.Exposures.GroupBy(e => e.Agent).OrderBy(g => group.Agents.IndexOf(g.Key)))
        {
            var records = perAgent.Select(e => e.Use.Source).Distinct().Count();
            if (records > 1)
            {
                rules.Add($"{LineRules.MergedRecords}: {perAgent.Key.Name}: {records} records from {Format(perAgent.Min(e => e.Start))} to {Format(perAgent.Max(e => e.End))}, one span");
            }
        }

        var lastTreated = group.Exposures.Max(e => e.End);
        var recordedReasons = group.Exposures
            .Where(e => e.StopReason is not null)
            .ToList();

        // Records that ended with the line's last drugs; an earlier stop (a taxane dropped while the
        // antibodies went on) says nothing about the line as a whole.
        var stoppedLast = group.Exposures
            .Where(e => e.End.DayNumber >= lastTreated.DayNumber - LineRules.RegimenWindowDays)
            .ToList();

        // Ongoing: only the last line can be.
        string? ongoingBecause = null;
        if (next is null)
        {
            var active = group.Exposures.FirstOrDefault(e => e.Running);
            if (active is not null)
            {
                ongoingBecause = $"{LineRules.Ongoing}: {active.Use.Source} ({active.Agent.Name}) is still active on {Format(asOf)}";
            }
            else if (statuses.FirstOrDefault(s => s.Status == DiseaseStatus.Progressing && s.Date > lastTreated && s.Date > group.Start
                         && s.Date.DayNumber - lastTreated.DayNumber <= LineRules.AssessmentDaysAfterStop) is { } progressed)
            {
                rules.Add($"{LineRules.Ongoing}: not ongoing: the disease progressed ({Format(progressed.Date)}, {progressed.Source}) after the line's latest record ({Format(lastTreated)})");
            }
            else if (asOf.DayNumber - lastTreated.DayNumber <= LineRules.OngoingRecencyDays
                && !stoppedLast.Any(e => e.StopReason is not null || e.Use.Status == MedicationUseStatus.Stopped))
            {
                ongoingBecause = $"{LineRules.Ongoing}: the latest record ({Format(lastTreated)}) is {asOf.DayNumber - lastTreated.DayNumber} days before the assessment date, within {LineRules.OngoingRecencyDays}, and none of the last records is stopped or gives a stop reason";
            }
        }

        DateOnly? stop = null;
        if (ongoingBecause is not null)
        {
            rules.Add(ongoingBecause);
        }
        else if (next is not null && lastTreated >= next.Start)
        {
            stop = next.Start;
            var spanning = group.Exposures.Where(e => e.End > next.Start).Select(e => e.Use.Source).Distinct().ToList();
            rules.Add($"{LineRules.StopAtNextLine}: records of this line run to {Format(lastTreated)}, past the start of line {number + 1}; this line stops when line {number + 1} starts ({Format(next.Start)})");
            foreach (var source in spanning)
            {
                notes.Add(new MappingNote($"{field}.stop", $"The record continues past the start of line {number + 1} ({Format(next.Start)}); it is counted in line {number} only.", source));
            }
        }
        else
        {
            stop = lastTreated;
        }

        // Disease-status observations that assess this line: after its start (an observation on the start day
        // is the baseline), up to the start of the next line, or for the last line a short window after its
        // last drug (the restaging that follows a stop).
        var assessedUntil = stop is null
            ? asOf
            : next?.Start ?? stop.Value.AddDays(LineRules.AssessmentDaysAfterStop);
        var assessments = statuses.Where(s => s.Date > group.Start && s.Date <= assessedUntil).ToList();
        var usedObservations = new List<string>();

        string? stopReason = null;
        if (stop is not null)
        {
            stopReason = DecideStopReason(group, number, stop.Value, recordedReasons, assessments, rules, usedObservations, notes);
        }

        var bestResponse = DecideBestResponse(assessments, rules, usedObservations, notes, field, ref responseNoteGiven);
        var (progressionAtFirst, inferredFrom) = DecideFirstAssessment(group, stop, stopReason, assessments, rules, usedObservations, notes, field);
        var taxaneStopped = DecideTaxaneStopped(group, stop, rules);

        var sources = Sources(group.Exposures);
        sources.AddRange(assessments.Select(s => s.Source).Where(usedObservations.Contains).Distinct(StringComparer.Ordinal));
        return new DerivedLine(
            number,
            group.Agents.Select(a => a.Id).ToList(),
            Format(group.Start),
            stop is null ? null : Format(stop.Value),
            stopReason,
            bestResponse,
            progressionAtFirst,
            inferredFrom,
            taxaneStopped is null ? null : Format(taxaneStopped.Value),
            rules,
            sources)
        {
            CausativeAgents = stopReason == "toxicity"
                ? recordedReasons.Where(e => e.StopReason == "toxicity").Select(e => e.Agent.Id).Distinct().ToList()
                : [],
            Toxicity = stopReason == "toxicity" ? DecideToxicityKind(recordedReasons, field, notes) : null,
        };
    }

    /// <summary>
    /// The kind of a toxicity stop from the records that give one. Records that disagree give the most restrictive
    /// (an infusion reaction rules out the conjugates; a non-cardiac kind keeps trastuzumab from the cardiac
    /// rechallenge), with a note.
    /// </summary>
    private static string? DecideToxicityKind(List<Exposure> recordedReasons, string field, List<MappingNote> notes)
    {
        var kinds = recordedReasons
            .Where(e => e.StopReason == "toxicity" && e.Use.ToxicityKind is not null)
            .Select(e => (Kind: e.Use.ToxicityKind!, e.Use.Source))
            .DistinctBy(k => k.Source)
            .ToList();
        var distinct = kinds.Select(k => k.Kind).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return null;
        }

        var chosen = LineRules.ToxicityKindsMostRestrictiveFirst.First(distinct.Contains);
        if (distinct.Count > 1)
        {
            notes.Add(new MappingNote($"{field}.toxicity",
                $"The records give different toxicities ({string.Join(", ", kinds.Select(k => $"{k.Kind} on {k.Source}"))}): '{chosen}', the most restrictive, is used.",
                string.Join(", ", kinds.Select(k => k.Source))));
        }

        return chosen;
    }

    private static string DecideStopReason(
        Group group,
        int number,
        DateOnly stop,
        List<Exposure> recordedReasons,
        List<DiseaseStatusObservation> assessments,
        List<string> rules,
        List<string> usedObservations,
        List<MappingNote> notes)
    {
        var field = $"metastaticRegimens[{number - 1}]";
        var valid = new List<Exposure>();
        foreach (var exposure in recordedReasons.DistinctBy(e => e.Use.Source))
        {
            if (LineRules.NativeStopReasons.Contains(exposure.StopReason!))
            {
                valid.Add(exposure);
            }
            else
            {
                notes.Add(new MappingNote($"{field}.stopReason", $"Stop reason '{exposure.StopReason}' is not one Herald knows: ignored.", exposure.Use.Source));
            }
        }

        // Progression recorded on any record of the line ends it: the disease progressed on this line.
        var progression = valid.FirstOrDefault(e => e.StopReason == "progression");
        if (progression is not null)
        {
            rules.Add($"{LineRules.StopReason}: progression recorded on {ReasonSource(progression)}");
            return "progression";
        }

        // Otherwise the reason of the drugs stopped last; an earlier stop (a taxane stopped for toxicity while
        // the antibodies went on) is not why the line ended.
        var last = valid
            .Where(e => e.End.DayNumber >= stop.DayNumber - LineRules.RegimenWindowDays)
            .OrderByDescending(e => e.End)
            .ThenByDescending(e => e.Start)
            .ThenBy(e => e.Use.Source, StringComparer.Ordinal)
            .FirstOrDefault();
        if (last is not null)
        {
            rules.Add($"{LineRules.StopReason}: {last.StopReason} recorded on {ReasonSource(last)}, among the drugs stopped last");
            return last.StopReason!;
        }

        var progressing = assessments.FirstOrDefault(s => s.Status == DiseaseStatus.Progressing);
        if (progressing is not null)
        {
            usedObservations.Add(progressing.Source);
            rules.Add($"{LineRules.StopReason}: progression from the disease-status observation {Format(progressing.Date)} ({progressing.Source})");
            return "progression";
        }

        rules.Add($"{LineRules.StopReason}: not recorded and no progressing disease status: other");
        notes.Add(new MappingNote(
            $"{field}.stopReason",
            $"The records do not say why line {number} stopped and no disease-status observation shows progression; 'other' is given because a stop date needs a reason. Correct it if known.",
            group.Exposures.MaxBy(e => e.End)!.Use.Source));
        return "other";
    }

    private static string? DecideBestResponse(
        List<DiseaseStatusObservation> assessments,
        List<string> rules,
        List<string> usedObservations,
        List<MappingNote> notes,
        string field,
        ref bool responseNoteGiven)
    {
        var best = assessments
            .OrderByDescending(s => ResponseRank(s.Status))
            .ThenBy(s => s.Date)
            .FirstOrDefault();
        if (best is null)
        {
            return null;
        }

        var response = best.Status switch
        {
            DiseaseStatus.NotDetected => "complete-response",
            DiseaseStatus.Responding => "partial-response",
            DiseaseStatus.Stable => "stable-disease",
            _ => "progressive-disease",
        };
        usedObservations.Add(best.Source);
        rules.Add($"{LineRules.BestResponse}: {response} from the disease status '{StatusWord(best.Status)}' on {Format(best.Date)} ({best.Source}); a trend, not a RECIST response");
        if (!responseNoteGiven)
        {
            responseNoteGiven = true;
            notes.Add(new MappingNote(
                $"{field}.bestResponse",
                "mCODE cancer disease status is the clinician's judgement of the trend, not a RECIST response. Herald reads no evidence of disease as complete-response, responding (improved) as partial-response, stable as stable-disease and progressing (worsened) as progressive-disease. Check against the imaging reports.",
                best.Source));
        }

        return response;
    }

    private static (bool? Value, string? InferredFrom) DecideFirstAssessment(
        Group group,
        DateOnly? stop,
        string? stopReason,
        List<DiseaseStatusObservation> assessments,
        List<string> rules,
        List<string> usedObservations,
        List<MappingNote> notes,
        string field)
    {
        bool? value;
        string? inferredFrom;
        var first = assessments.FirstOrDefault();
        if (first is not null)
        {
            usedObservations.Add(first.Source);
            value = first.Status == DiseaseStatus.Progressing;
            inferredFrom = $"first disease-status observation {Format(first.Date)} ({first.Source}): {StatusWord(first.Status)}";
        }
        else if (stopReason == "progression" && stop is not null)
        {
            var days = stop.Value.DayNumber - group.Start.DayNumber;
            var weeks = days / 7;
            if (days <= LineRules.FirstAssessmentDays)
            {
                value = true;
                inferredFrom = $"no disease-status observation; progression ended the line {weeks} weeks ({days} days) after its start, within 12 weeks";
            }
            else
            {
                value = null;
                inferredFrom = $"no disease-status observation; progression ended the line {weeks} weeks ({days} days) after its start, later than 12 weeks: unknown";
            }
        }
        else
        {
            return (null, null);
        }

        // The native input allows "true" only with progression: a stop for progression, or an ongoing line
        // whose disease is progressing now.
        if (value == true)
        {
            var latest = assessments.LastOrDefault();
            var consistent = stop is not null
                ? stopReason == "progression"
                : latest?.Status == DiseaseStatus.Progressing;
            if (!consistent)
            {
                notes.Add(new MappingNote(
                    $"{field}.progressionAtFirstAssessment",
                    stop is not null
                        ? $"The first assessment showed progression but the line stopped for '{stopReason}'; left unset."
                        : "The first assessment showed progression but the line goes on and the latest disease status is not progressing; left unset.",
                    first?.Source ?? group.Exposures[0].Use.Source));
                value = null;
                inferredFrom += "; left unset (see notes)";
            }
        }

        rules.Add($"{LineRules.FirstAssessment}: {inferredFrom}");
        return (value, inferredFrom);
    }

    private static DateOnly? DecideTaxaneStopped(Group group, DateOnly? stop, List<string> rules)
    {
        var taxanes = group.Exposures.Where(e => e.Agent.Class == AgentClass.Taxane).ToList();
        var antibodies = group.Exposures.Where(e => e.Agent.Class == AgentClass.AntiHer2Antibody).ToList();
        if (taxanes.Count == 0 || antibodies.Count == 0 || taxanes.Any(e => e.Running))
        {
            return null;
        }

        var taxaneEnd = taxanes.Max(e => e.End);
        var lineEnd = stop ?? DateOnly.MaxValue;
        var afterTaxane = antibodies.Where(e => e.End > taxaneEnd).ToList();
        if (afterTaxane.Count == 0 || taxaneEnd >= lineEnd)
        {
            return null;
        }

        var antibodiesUntil = stop ?? afterTaxane.Max(e => e.End);
        rules.Add($"{LineRules.Maintenance}: taxane stopped {Format(taxaneEnd)}, {Names(afterTaxane.Select(e => e.Agent).Distinct())} continued{(stop is null ? " (ongoing)" : " to " + Format(antibodiesUntil))}: maintenance, not a new line");
        return taxaneEnd;
    }

    // ---- helpers ----

    private static int ResponseRank(DiseaseStatus status) => status switch
    {
        DiseaseStatus.NotDetected => 4,
        DiseaseStatus.Responding => 3,
        DiseaseStatus.Stable => 2,
        DiseaseStatus.Progressing => 1,
        _ => 0,
    };

    private static string StatusWord(DiseaseStatus status) => status switch
    {
        DiseaseStatus.NotDetected => "no evidence of disease",
        DiseaseStatus.Responding => "responding",
        DiseaseStatus.Stable => "stable",
        DiseaseStatus.Progressing => "progressing",
        _ => "unknown",
    };

    private static string ReasonSource(Exposure exposure) =>
        exposure.Use.StopReasonSource is { Length: > 0 } element
            ? $"{exposure.Use.Source} ({exposure.Agent.Name}, {element})"
            : $"{exposure.Use.Source} ({exposure.Agent.Name})";

    private static List<string> Sources(IEnumerable<Exposure> exposures) =>
        exposures.Select(e => e.Use.Source).Distinct(StringComparer.Ordinal).ToList();

    private static string Names(IEnumerable<Agent> agents) => string.Join(", ", agents.Select(a => a.Name));

    internal static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>One agent of one medication record, with the dates the rules use.</summary>
    private sealed class Exposure
    {
        public Exposure(MedicationUse use, Agent agent, DateOnly asOf)
        {
            Use = use;
            Agent = agent;
            Start = use.Start;
            Running = use.Status == MedicationUseStatus.Active || use.End > asOf;

            // A record still running counts to the assessment date; a record without an end (one
            // administration) to its own start.
            var end = Running ? asOf : use.End ?? use.Start;
            End = end < Start ? Start : end;
        }

        public MedicationUse Use { get; }

        public Agent Agent { get; }

        public DateOnly Start { get; }

        public DateOnly End { get; }

        public bool Running { get; }

        public string? StopReason => Use.StopReason?.Trim().ToLowerInvariant() is { Length: > 0 } reason ? reason : null;
    }

    /// <summary>A line (or an early-disease regimen) while it is being built.</summary>
    private sealed class Group(DateOnly start)
    {
        public DateOnly Start { get; } = start;

        public DateOnly WindowEnd => Start.AddDays(LineRules.RegimenWindowDays);

        /// <summary>Drugs started within the window: given again later, they do not advance the line.</summary>
        public HashSet<Agent> Regimen { get; } = [];

        /// <summary>Listed substitutes of regimen drugs, switched to after the window: they do not advance the line either.</summary>
        public HashSet<Agent> Substitutes { get; } = [];

        public List<Exposure> Exposures { get; } = [];

        public List<string> Rules { get; } = [];

        public List<Agent> Agents { get; set; } = [];

        public Group? Previous { get; set; }
    }
}
