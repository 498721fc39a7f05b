using System.Globalization;
using System.Text;
using Herald.Core.Conditions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Core.Patients;

namespace Herald.Core.Decisions;

/// <summary>
/// Renders a decision's parts as sentences for clinicians. Every adapter (JSON, text, Markdown) uses
/// these, so the wording is the same everywhere.
/// </summary>
public static class DecisionText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);

    public static string Citation(Source source, string section) => $"{source.Citation}, {section}";

    public static string Citation(Statement statement) => Citation(statement.Source, statement.Section);

    /// <summary>Lowercase generic names, or a group name where the regimen leaves the choice open.</summary>
    public static IReadOnlyList<string> AgentNames(Regimen regimen, AgentSet agents, KnowledgeBase kb)
    {
        if (regimen.Kind == RegimenKind.Standard)
        {
            return regimen.Components.Select(c => c.DisplayName).ToArray();
        }

        return kb.AgentNames(agents).Concat(regimen.Components.Where(c => c.Group is not null).Select(c => c.DisplayName)).ToArray();
    }

    public static string RegimenName(Regimen regimen, AgentSet agents, KnowledgeBase kb) =>
        regimen.Kind == RegimenKind.Standard
            ? regimen.Name
            : $"{regimen.Name}: {string.Join(" + ", AgentNames(regimen, agents, kb))}";

    public static string Line(TherapyLine line, KnowledgeBase kb)
    {
        var stop = line.Stop is { } s ? Date(s) : "ongoing";
        return $"line {line.Number} ({kb.DescribeAgents(line.Agents)}, {Date(line.Start)} to {stop})";
    }

    /// <summary>An early-disease regimen the disease relapsed on, as the {lines} placeholder names it.</summary>
    public static string EarlyRegimen(EarlyFailure failure, KnowledgeBase kb) =>
        $"the {(failure.Source.Setting == EarlySetting.Neoadjuvant ? "neoadjuvant" : "adjuvant")} {kb.DescribeAgents(failure.Agents)} for early disease " +
        $"(ended {Date(failure.End)}; relapse {failure.MonthsToRelapse} months later)";

    public static string Rationale(RationaleItem item, PatientFacts facts)
    {
        var kb = facts.Knowledge;
        var t = kb.Thresholds;
        return item.Code switch
        {
            RationaleCode.Her2Positive => "HER2-positive (IHC 3+ or ISH amplified): in scope.",
            RationaleCode.Her2PositiveAsReported => "HER2-positive as the report interprets an IHC 2+ result (the ISH result itself is not given): in scope.",
            RationaleCode.Her2Negative => "HER2-negative: outside the HER2-positive guidance Herald encodes.",
            RationaleCode.Her2Unknown => "No HER2 result is recorded.",
            RationaleCode.Her2Equivocal => "HER2 is equivocal (IHC 2+ without ISH, or ISH equivocal).",
            RationaleCode.NotMetastatic => "No distant metastases: Herald encodes guidance for metastatic disease only.",
            RationaleCode.MetastaticDiagnosisDateUnknown => "HER2-positive, but the date of the metastatic diagnosis is not recorded.",
            RationaleCode.DeNovo => $"De novo metastatic disease, diagnosed {Date(item.Date)}.",
            RationaleCode.PresentationUnknown => $"Metastatic disease diagnosed {Date(item.Date)}; whether it was metastatic at first diagnosis (de novo) or is a recurrence is not recorded.",
            RationaleCode.BrainStatusUnknown => "Brain metastases are recorded, but not whether they are new, progressing or stable.",
            RationaleCode.Recurrence => $"Metastatic recurrence, diagnosed {Date(item.Date)}.",
            RationaleCode.EarlyRelapseWithin12Months =>
                $"Relapse {item.Number} months after trastuzumab for early disease finished (within {t.EarlyRelapseMonths} months): the guideline treats this as second line, so the early-disease course counts as the first line (seed 000).",
            RationaleCode.RelapseAfter12Months =>
                $"Relapse {item.Number} months after trastuzumab for early disease finished (more than {t.EarlyRelapseMonths} months): lines are counted from the first metastatic line (seed 000).",
            RationaleCode.RecurrenceWithoutEarlyHer2Therapy => "No trastuzumab-based therapy for early disease: lines are counted from the first metastatic line.",
            RationaleCode.EarlyTreatmentNotRecorded => "Early-disease treatment is not recorded, so the 12-month rule after adjuvant trastuzumab cannot be applied.",
            RationaleCode.TrastuzumabCompletionUnknown => "The date adjuvant trastuzumab finished is not recorded, so the 12-month rule cannot be applied.",
            RationaleCode.PriorMetastaticLines => $"{item.Number} metastatic line(s) given: {string.Join("; ", facts.Lines.Where(l => !l.IsOngoing || l.IsFailingNow).Select(l => Line(l, kb)))}.",
            RationaleCode.NoPriorMetastaticLines => "No metastatic line given yet.",
            RationaleCode.OngoingLineProgressing => $"Disease outside the brain is progressing on the ongoing {Line(item.Line!, kb)}: a new line is needed.",
            RationaleCode.OngoingLineControlled => $"Ongoing {Line(item.Line!, kb)} with disease outside the brain {ExtracranialWord(facts)}.",
            RationaleCode.OngoingLineStatusUnknown => $"Ongoing {Line(item.Line!, kb)}, but whether the disease is responding, stable or progressing is not recorded.",
            RationaleCode.MaintenanceTaxaneOngoing =>
                $"First-line taxane running for {item.Number} month(s): the guideline stops the taxane after {t.TaxaneStopEarliestMonths} to {t.TaxaneStopLatestMonths} months or at maximal response and continues dual HER2 blockade (seed 000).",
            RationaleCode.MaintenanceTaxaneStopped => $"Taxane stopped on {Date(item.Date)}; anti-HER2 maintenance continues.",
            RationaleCode.ProgressionDuringMaintenance => $"Progression on anti-HER2 maintenance after the taxane was stopped ({Line(item.Line!, kb)}).",
            RationaleCode.CompleteResponseOngoing => $"Complete response on line {item.Number}.",
            RationaleCode.BrainMetastasesActiveExtracranialControlled => $"New or progressing brain metastases ({BrainWords(facts)}) while the disease outside the brain is controlled.",
            RationaleCode.BrainMetastasesActiveSwitching => $"New or progressing brain metastases ({BrainWords(facts)}) as well as progression that needs a new line.",
            RationaleCode.LineCountUncertain => $"Counted as line {item.Number}; it would be line {item.Other} if relapse came within 12 months of adjuvant trastuzumab. The kind of decision is the same either way.",
            RationaleCode.PanelCountsThirdLine =>
                "The 2021 panel calls this point the third line: it counted trastuzumab-based therapy for early disease and T-DM1 as the first two (seed 001, Case 1), so its third-line statements apply.",
            RationaleCode.EarlyRegimenFailed =>
                $"Relapse within {t.EarlyRelapseMonths} months of {EarlyRegimen(item.Early!, kb)}: it counts as progression on that regimen, which is not offered again (seed 000's 12-month rule; a new regimen may keep trastuzumab).",
            RationaleCode.LeptomeningealDiseaseExtracranialControlled =>
                "Leptomeningeal disease while the disease outside the brain is controlled: the central nervous system needs a decision, not simply continuing the current line.",
            RationaleCode.NoProgressionAfterLastLine => $"The last line ({Line(item.Line!, kb)}) stopped without recorded progression; the seeds do not address when to restart after a break.",
            _ => item.Code.ToString(),
        };
    }

    private static readonly (Patients.Symptoms Symptom, string Word)[] SymptomWords =
    [
        (Patients.Symptoms.Dyspnoea, "dyspnoea"),
        (Patients.Symptoms.PersistentCough, "persistent cough"),
        (Patients.Symptoms.Cough, "cough"),
        (Patients.Symptoms.Fever, "fever"),
    ];

    /// <summary>The conjugates no longer given but within the lung-toxicity window, each with the date last given.</summary>
    public static string RecentConjugates(PatientFacts facts) => facts.RecentConjugates.Count == 0
        ? "none recorded"
        : string.Join("; ", facts.RecentConjugates.Select(c =>
            $"{facts.Knowledge.DescribeAgents(c.Agents, ", ")}{(c.Early ? " for early disease" : "")}, stopped {Date(c.LastGiven)}"));

    /// <summary>The current symptoms, each with when it began against the current regimen's start.</summary>
    public static string Symptoms(PatientFacts facts)
    {
        var patient = facts.Patient;
        var start = facts.OngoingLine?.Start;
        var parts = new List<string>(2);
        foreach (var (symptom, word) in SymptomWords)
        {
            if ((patient.Symptoms & symptom) == 0)
            {
                continue;
            }

            var onset = patient.Onsets.FirstOrDefault(o => o.Symptom == symptom)?.Onset;
            parts.Add(onset switch
            {
                null => $"{word} (onset not recorded)",
                { } began when start is { } s && began >= s => $"{word} (began {Date(began)}, after the current regimen started on {Date(s)})",
                { } began when start is { } s => $"{word} (since {Date(began)}, before the current regimen started on {Date(s)})",
                { } began => $"{word} (since {Date(began)})",
            });
        }

        return parts.Count == 0 ? "none recorded" : string.Join("; ", parts);
    }

    private static string ExtracranialWord(PatientFacts facts) => facts.Patient.Disease.Extracranial switch
    {
        ExtracranialStatus.Responding => "responding",
        ExtracranialStatus.Stable => "stable",
        ExtracranialStatus.NoExtracranialDisease => "absent",
        ExtracranialStatus.Progressing => "progressing",
        _ => "of unknown status",
    };

    private static string BrainWords(PatientFacts facts)
    {
        var brain = facts.Patient.Disease.Brain;
        if (brain is null)
        {
            return "none recorded";
        }

        var parts = new List<string>(4)
        {
            brain.LesionCount is { } n ? $"{n} lesion(s)" : "number of lesions not recorded",
        };
        if (brain.LargestLesionMm is { } mm)
        {
            parts.Add($"largest {mm} mm");
        }

        parts.Add(brain.Symptomatic switch { true => "symptomatic", false => "asymptomatic", null => "symptoms not recorded" });
        if (brain.TreatedLocally == true)
        {
            parts.Add("treated locally");
        }

        return string.Join(", ", parts);
    }

    /// <summary>Fills a knowledge-base text's {placeholders} with the patient's values.</summary>
    public static string Fill(string template, PatientFacts facts, AgentSet agents = default, TherapyLine? line = null, EarlyFailure? early = null)
    {
        if (template.IndexOf('{') < 0)
        {
            return template;
        }

        var kb = facts.Knowledge;
        var lvef = facts.Patient.Lvef;
        return TextTemplate.PlaceholderPattern().Replace(template, m => m.Groups[1].Value switch
        {
            "lvef" => lvef?.LvefPercent.ToString(Invariant) ?? "not recorded",
            "lvef-date" => lvef is null ? "no date" : Date(lvef.Date),
            "lvef-baseline" => lvef?.BaselinePercent?.ToString(Invariant) ?? "not recorded",
            "lvef-drop" => facts.LvefDropFromBaseline?.ToString(Invariant) ?? "unknown",
            "lvef-days" => facts.DaysSinceLvef?.ToString(Invariant) ?? "unknown",
            "lvef-threshold" => kb.Thresholds.LvefMinimumPercent.ToString(Invariant),
            "agents" => agents.IsEmpty ? "the agents concerned" : kb.DescribeAgents(agents, ", "),
            "lines" => line is not null ? Line(line, kb) : early is not null ? EarlyRegimen(early, kb) : "an earlier line",
            "age" => facts.Patient.Age?.ToString(Invariant) ?? "unknown",
            "months-to-relapse" => facts.MonthsFromTrastuzumabToRelapse?.ToString(Invariant) ?? "unknown",
            "taxane-months" => facts.TaxaneMonths?.ToString(Invariant) ?? "unknown",
            "brain-lesions" => facts.Patient.Disease.Brain?.LesionCount?.ToString(Invariant) ?? "an unknown number of",
            "current-regimen" => facts.OngoingLine is { } l ? kb.DescribeAgents(l.Agents) : "no current regimen",
            "ecog" => facts.Patient.Ecog?.ToString(Invariant) ?? "not recorded",
            "respiratory-symptoms" => Symptoms(facts),
            "recent-conjugates" => RecentConjugates(facts),
            "lung-toxicity-window" => kb.Thresholds.ConjugateLungToxicityWindowMonths.ToString(Invariant),
            "other-comorbidities" => facts.Patient.OtherComorbidities.Count == 0
                ? "none"
                : string.Join("; ", facts.Patient.OtherComorbidities.Select(c => $"\"{c}\"")),
            var other => m.Value,
        });
    }

    public static string Note(Note note, PatientFacts facts) => note.Kind switch
    {
        NoteKind.PartnerToAvoid => $"Choose a partner other than {facts.Knowledge.DescribeAgents(note.Agents, ", ")}: {Fill(note.Template, facts, note.Agents, note.Line, note.Early)}",
        NoteKind.OlderEditionDisagrees => $"An older source in force did not recommend this ({note.Statement!.Title}; {Citation(note.Statement)}); a newer one does.",
        NoteKind.RetreatmentAllowed => note.Statement is { } allowing
            ? $"Re-treatment after progression: {Fill(note.Template, facts, note.Agents, note.Line, note.Early)} The statement \u201C{allowing.Title}\u201D allows it ({Citation(allowing)})."
            : $"Re-treatment after progression: {Fill(note.Template, facts, note.Agents, note.Line, note.Early)}",
        NoteKind.RechallengeResponding => $"Re-challenge: {Fill(note.Template, facts, note.Agents, note.Line, note.Early)} It was restarted and the disease is controlled on it now, so the decision is to continue it; the earlier progression is a caution.",
        _ => Fill(note.Template, facts, note.Agents, note.Line, note.Early),
    };

    /// <summary>The id of the statement or rule behind a note.</summary>
    public static string NoteRef(Note note) => note.Statement?.Id ?? note.Rule?.Id ?? "herald";

    /// <summary>Where a note comes from, as a citation.</summary>
    public static string NoteSource(Note note) => note switch
    {
        { Statement: { } s } => Citation(s),
        { Rule: { } r } => r.Source.Citation,
        _ => "Herald",
    };

    public static string TrialReason(TrialSuggestion trial) => trial.Statement?.Title ?? trial.Rule?.Title ?? "";

    public static string TrialRef(TrialSuggestion trial) => trial.Statement?.Id ?? trial.Rule?.Id ?? "herald";

    public static string TrialSource(TrialSuggestion trial) => trial switch
    {
        { Statement: { } s } => Citation(s),
        { Rule: { } r } => r.Source.Citation,
        _ => "Herald",
    };

    public static string Alert(DecisionAlert alert, PatientFacts facts) =>
        alert is { Engine: EngineAlert.DatedSources, Edition: { } edition }
            ? DatedSourcesNotice(edition, facts.AsOf, alert.Severity)
            : Fill(alert.Template, facts);

    public static string AlertSource(DecisionAlert alert) => alert switch
    {
        { Statement: { } s } => Citation(s),
        { Rule: { } r } => r.Source.Citation,
        { Engine: EngineAlert.DatedSources, Edition: { } edition } => DatedSourcesSource(edition),
        _ => "Herald decision engine",
    };

    /// <summary>
    /// "Dated sources: guidance published 2014 to 2021 (…), applied to an assessment on 2024-03-01: it may have changed
    /// since. Later editions, not encoded by Herald: …". The years come from sources.yaml; a citation that does not
    /// name its year is followed by it.
    /// </summary>
    public static string DatedSourcesNotice(Edition edition, DateOnly asOf, Severity severity)
    {
        var sources = DatedSources.Sources(edition);
        var sb = new StringBuilder("Dated sources: guidance ");
        if (sources.Count > 0)
        {
            var (first, last) = (sources[0].Year, sources[^1].Year);
            sb.Append(first == last ? $"published in {first}" : $"published {first} to {last}")
              .Append(" (").Append(string.Join("; ", sources.Select(s => WithYear(s.Citation, s.Year)))).Append(')');
        }

        sb.Append(", applied to an assessment on ").Append(Date(asOf)).Append(": it may have changed since.");
        var later = DatedSources.LaterEditions(edition);
        if (later.Count > 0)
        {
            sb.Append(" Later editions, not encoded by Herald: ")
              .Append(string.Join("; ", later.Select(e => $"{WithYear(e.Citation, e.Year)} ({e.Change})"))).Append('.');
        }

        if (severity >= Severity.Warning)
        {
            sb.Append(" One that revised the recommendations had appeared by the assessment date: this answer may be out of date for this patient.");
        }

        return sb.Append(" Check the current guidelines and drug labels.").ToString();
    }

    /// <summary>The notice in one short line, for a card summary: "Dated sources (2014 to 2021), assessment on 2024-03-01: …".</summary>
    public static string DatedSourcesSummary(Edition edition, DateOnly asOf, Severity severity)
    {
        var sources = DatedSources.Sources(edition);
        var years = sources.Count == 0 ? "" : sources[0].Year == sources[^1].Year ? $" ({sources[0].Year})" : $" ({sources[0].Year} to {sources[^1].Year})";
        return severity >= Severity.Warning
            ? $"Dated sources{years}, assessment on {Date(asOf)}: a later edition revised the guidance; this answer may be out of date"
            : $"Dated sources{years}, assessment on {Date(asOf)}: guidance may have changed since";
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string WithYear(string citation, int year)
    {
        var text = year.ToString(Invariant);
        return citation.Contains(text, StringComparison.Ordinal) ? citation : $"{citation}, {text}";
    }

    private static string DatedSourcesSource(Edition edition)
    {
        var recordedIn = DatedSources.LaterEditions(edition).Select(e => e.RecordedIn.Citation).Distinct().ToArray();
        return recordedIn.Length == 0
            ? "Herald, from sources.yaml"
            : $"Herald, from sources.yaml; later editions: {string.Join(", ", recordedIn)}";
    }

    public static string AlertCode(DecisionAlert alert) => alert switch
    {
        { Statement: { } s } => s.Id,
        { Rule: { } r } => r.Id,
        _ => alert.Engine switch
        {
            EngineAlert.EditionSilent => "edition-silent",
            EngineAlert.NoStatementApplies => "no-statement-applies",
            EngineAlert.AllOptionsExcluded => "all-options-excluded",
            EngineAlert.OutOfScope => "out-of-scope",
            EngineAlert.DecisionPending => "decision-pending",
            EngineAlert.DatedSources => "dated-sources",
            _ => "engine",
        },
    };

    public static string ReasonCodeId(Reason reason) => reason.Code switch
    {
        ReasonCode.SafetyRule => reason.Rule!.Id,
        ReasonCode.ProgressedOn => "progressed-on",
        ReasonCode.NotRecommended => "not-recommended",
        ReasonCode.ConditionNotMet => "condition-not-met",
        ReasonCode.ConditionUndetermined => "condition-undetermined",
        ReasonCode.OtherSetting => "other-setting",
        ReasonCode.AlsoNotIndicated => "also-not-indicated",
        _ => reason.Code.ToString(),
    };

    /// <summary>The id of the rule or statement behind a reason; null for the engine's own reasons.</summary>
    public static string? ReasonRef(Reason reason) => reason.Rule?.Id ?? reason.Statement?.Id;

    public static string ReasonSource(Reason reason) => reason switch
    {
        { Rule: { } r } => r.Source.Citation,
        { Statement: { } s } => Citation(s),
        _ => "Herald decision engine",
    };

    public static string Reason(Reason reason, Decision decision)
    {
        var facts = decision.Facts;
        switch (reason.Code)
        {
            case ReasonCode.SafetyRule:
            case ReasonCode.ProgressedOn:
                return Fill(reason.Rule!.Text, facts, reason.Agents, reason.Line, reason.Early);
            case ReasonCode.NotRecommended:
                return $"Not recommended here: {reason.Statement!.Title}.";
            case ReasonCode.ConditionNotMet:
                return $"{reason.Statement!.Title}: {Requirements(reason.Blockers, facts)}.";
            case ReasonCode.ConditionUndetermined:
                return $"{reason.Statement!.Title}: {Undetermined(reason.Blockers)}.";
            case ReasonCode.OtherSetting:
                return reason.Settings == Setting.None
                    ? $"Not an option at this decision point ({decision.Point.Kind.Label().ToLowerInvariant()}) in {decision.Edition.Id}."
                    : $"In {decision.Edition.Id} it is an option at other decision points ({reason.Settings.Ids()}), not at this one ({decision.Point.Kind.Id()}).";
            case ReasonCode.AlsoNotIndicated:
                var inner = new Reason(
                    reason.Statement is null ? ReasonCode.OtherSetting : reason.Blockers is { Count: > 0 } b && b[0].Value == Tri.Unknown ? ReasonCode.ConditionUndetermined : ReasonCode.ConditionNotMet,
                    reason.Statement, null, AgentSet.Empty, null, reason.Blockers, reason.Settings);
                if (reason.Statement is not null && reason.Blockers is null)
                {
                    inner = inner with { Code = ReasonCode.NotRecommended };
                }

                return "Also not an option here: " + Reason(inner, decision);
            default:
                return reason.Code.ToString();
        }
    }

    /// <summary>
    /// A reason without its statement's title, for a renderer that names the statement by id beside it: "not for
    /// patients with prior therapy with pertuzumab (early or metastatic) (this patient: received pertuzumab)".
    /// </summary>
    public static string ReasonShort(Reason reason, Decision decision)
    {
        switch (reason.Code)
        {
            case ReasonCode.ConditionNotMet:
                return Capitalised(Requirements(reason.Blockers, decision.Facts)) + ".";
            case ReasonCode.ConditionUndetermined:
                return Capitalised(Undetermined(reason.Blockers)) + ".";
            case ReasonCode.NotRecommended:
                return "Not recommended here.";
            case ReasonCode.AlsoNotIndicated:
                var inner = new Reason(
                    reason.Statement is null ? ReasonCode.OtherSetting
                    : reason.Blockers is null ? ReasonCode.NotRecommended
                    : reason.Blockers is { Count: > 0 } b && b[0].Value == Tri.Unknown ? ReasonCode.ConditionUndetermined
                    : ReasonCode.ConditionNotMet,
                    reason.Statement, null, AgentSet.Empty, null, reason.Blockers, reason.Settings);
                return "Also not an option here: " + ReasonShort(inner, decision);
            default:
                return Reason(reason, decision);
        }
    }

    /// <summary>
    /// Why a condition fails for the patient, one requirement per fact that fails it: "only for patients with
    /// hormone receptor–positive disease (ER or PR positive) (this patient: ER negative, PR negative)".
    /// </summary>
    public static string Requirements(IReadOnlyList<Blocker>? blockers, PatientFacts facts)
    {
        if (blockers is null || blockers.Count == 0)
        {
            return "its condition does not hold for this patient";
        }

        var sb = new StringBuilder();
        for (var i = 0; i < blockers.Count; i++)
        {
            var b = blockers[i];
            if (i > 0)
            {
                sb.Append("; ");
            }

            sb.Append(b.Atom.Requirement(mustHold: !b.Negated))
              .Append(" (this patient: ").Append(b.Atom.Show(facts)).Append(')');
        }

        return sb.ToString();
    }

    /// <summary>A condition the input leaves open: "may apply, but the input does not say whether the patient has …".</summary>
    public static string Undetermined(IReadOnlyList<Blocker>? blockers)
    {
        var questions = blockers is null || blockers.Count == 0
            ? "its condition holds"
            : string.Join(", or whether ", blockers.Select(b => b.Atom.Question).Distinct());
        return $"may apply, but the input does not say whether {questions} (supply {Fields(blockers)})";
    }

    private static string Fields(IReadOnlyList<Blocker>? blockers) =>
        blockers is null || blockers.Count == 0 ? "the missing data" : string.Join(", ", blockers.Select(b => b.Atom.Missing?.Field ?? b.Atom.Text).Distinct());

    public static string CriterionText(ResistanceCriterionId id) => id switch
    {
        ResistanceCriterionId.ThreeConsecutiveAntiHer2Lines => "At least 3 consecutive lines of anti-HER2 therapy",
        ResistanceCriterionId.DualAntiHer2Therapy => "At least 1 dual anti-HER2 targeted therapy",
        ResistanceCriterionId.EarlyProgressionInFourthOrLaterLine => "Progression of the disease after the first assessment of tumor during fourth- or later-line treatment",
        _ => id.ToString(),
    };

    public static string CriterionId(ResistanceCriterionId id) => id switch
    {
        ResistanceCriterionId.ThreeConsecutiveAntiHer2Lines => "three-consecutive-anti-her2-lines",
        ResistanceCriterionId.DualAntiHer2Therapy => "dual-anti-her2-therapy",
        ResistanceCriterionId.EarlyProgressionInFourthOrLaterLine => "early-progression-in-fourth-or-later-line",
        _ => id.ToString(),
    };

    public static string CriterionEvidence(ResistanceCriterion criterion, PatientFacts facts)
    {
        var kb = facts.Knowledge;
        var lines = string.Join("; ", criterion.Lines.Select(l => Line(l, kb)));
        return criterion.Id switch
        {
            ResistanceCriterionId.ThreeConsecutiveAntiHer2Lines => criterion.Lines.Count == 0
                ? "The latest line has no anti-HER2 agent."
                : $"{criterion.Lines.Count} consecutive anti-HER2 line(s) up to the latest: {lines}.",
            ResistanceCriterionId.DualAntiHer2Therapy => criterion.Lines.Count == 0
                ? "No metastatic line combined two HER2-directed agents."
                : $"Dual anti-HER2 therapy in {lines}.",
            _ => criterion.Status switch
            {
                Tri.True => $"Progression at the first tumour assessment in {lines}.",
                Tri.Unknown => $"Progression on {lines}; whether it came at the first tumour assessment is not recorded (metastaticRegimens[].progressionAtFirstAssessment).",
                _ => criterion.Lines.Count == 0
                    ? "No fourth or later anti-HER2 line has ended in progression."
                    : $"Fourth or later line(s) progressed, but not at the first assessment: {lines}.",
            },
        };
    }

    public static string ResistanceConsequence(ResistanceAssessment assessment) => assessment.Met switch
    {
        Tri.True => "All three criteria are met: the 2016 consensus would consider this disease clinically resistant to anti-HER2 therapy (scenario 2, 'When to stop considering anti-HER2 therapy as an alternative?'). The consensus names no regimen for this situation; agents introduced later (tucatinib, trastuzumab deruxtecan) were studied in heavily pretreated patients. Weigh a clinical trial.",
        Tri.Unknown => "The criteria cannot all be assessed from the input: see the criterion marked unknown.",
        _ => assessment.Criteria.Count == 0
            ? "No metastatic line yet: resistance is not assessed."
            : "Not all three criteria are met: the disease is not considered clinically resistant to anti-HER2 therapy (consensus 2016, scenario 2).",
    };

    public static string Status(Tri value) => value switch
    {
        Tri.True => "met",
        Tri.False => "not-met",
        _ => "unknown",
    };
}
