using Herald.Contracts.Patients;
using Herald.Core;
using Herald.Core.Conditions;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;

namespace Herald.Contracts.Output;

/// <summary>
/// Maps a <see cref="Decision"/> onto the JSON contract. All wording comes from <see cref="DecisionText"/>;
/// everything is taken from lists in their decision or knowledge-base order, so the same decision always
/// gives the same document.
/// </summary>
public static class DecisionDocumentMapper
{
    /// <param name="reading">What an adapter inferred or could not read while reading the patient from a record.</param>
    public static DecisionDocument Map(Decision decision, RecordReading? reading = null)
    {
        ArgumentNullException.ThrowIfNull(decision);
        reading ??= RecordReading.None;
        var facts = decision.Facts;
        var kb = decision.Knowledge;
        var point = decision.Point;

        return new DecisionDocument(
            kb.Version,
            facts.Patient.Id,
            DecisionText.Date(decision.AsOf),
            decision.Edition.Id,
            decision.Edition.Name,
            new DecisionPointDocument(
                point.Kind.Id(),
                point.Kind.Label(),
                point.Line,
                reading.Rationale(decision)),
            decision.Recommendations.Select(option => Recommendation(option, decision)).ToArray(),
            decision.Excluded.Select(verdict => Verdict(verdict, decision)).ToArray(),
            decision.NotIndicated.Select(verdict => Verdict(verdict, decision)).ToArray(),
            decision.MissingData.Select(m => new MissingDataDocument(m.Field, reading.Request(m), m.Blocking)).ToArray(),
            decision.Alerts.Select(a => new AlertDocument(
                DecisionText.AlertCode(a), a.Severity.Id(), DecisionText.Alert(a, facts), DecisionText.AlertSource(a))).ToArray(),
            Resistance(decision.Resistance, facts),
            decision.Trials.Select(TrialSuggestion).ToArray(),
            facts.Lines.Select(line => Line(line, kb)).ToArray(),
            History(facts, kb));
    }

    /// <summary>The statement and safety-rule evaluations of a decision made with <c>trace: true</c>.</summary>
    public static TraceDocument MapTrace(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var trace = decision.Trace
            ?? throw new ArgumentException("The decision carries no trace: decide with trace: true.", nameof(decision));

        return new TraceDocument(
            Map(decision),
            trace.Statements.Select(s => new StatementTraceDocument(
                s.Statement.Id,
                s.Statement.Edition.Id,
                StatusId(s.Status),
                s.SupersededBy?.Id,
                s.Condition is null ? null : Condition(s.Condition))).ToArray(),
            trace.Rules.Select(r => new SafetyRuleTraceDocument(
                r.Rule.Id,
                TriId(r.Value),
                Condition(r.Condition),
                r.Hits.Select(h => h.Id).ToArray())).ToArray());
    }

    private static RecommendationDocument Recommendation(RankedOption option, Decision decision)
    {
        var facts = decision.Facts;

        var evidence = option.Evidence().Select(Evidence).ToArray();

        return new RecommendationDocument(
            option.Rank,
            option.Tied,
            Regimen(option.Regimen, option.Agents, decision.Knowledge),
            option.Preference.Id(),
            option.Strength.Id(),
            option.Strength.Label(),
            option.RankedBy.Id,
            option.Statements.Select(support => Statement(support, option, facts)).ToArray(),
            evidence,
            option.Cautions.Select(n => new CautionDocument(DecisionText.Note(n, facts), DecisionText.NoteRef(n), DecisionText.NoteSource(n), n.WeighsAgainst)).ToArray(),
            option.Monitoring.Select(n => new MonitoringDocument(DecisionText.Note(n, facts), DecisionText.NoteRef(n), DecisionText.NoteSource(n))).ToArray());
    }

    private static StatementDocument Statement(Support support, RankedOption option, PatientFacts facts)
    {
        var statement = support.Statement;
        return new StatementDocument(
            statement.Id,
            statement.Edition.Id,
            statement.Title,
            DecisionText.Citation(statement),
            statement.Source.File,
            statement.Voice,
            statement.Quote,
            statement.Strength.Id(),
            statement.Interpretation,
            support.Action.Note is { } note ? DecisionText.Fill(note, facts, option.Agents) : null);
    }

    private static EvidenceDocument Evidence(EvidenceItem item)
    {
        var trial = item.Trial;
        return new EvidenceDocument(
            trial.Name,
            trial.Nct,
            trial.Design,
            trial.Setting,
            trial.Arms,
            trial.Publication,
            trial.Results.Select(Result).ToArray(),
            item.OfThisRegimen ? "regimen" : "statement",
            item.CitedBy.Select(s => s.Id).ToArray());
    }

    internal static ResultDocument Result(TrialResult r) => new(
        r.Endpoint, r.Analysis, r.Text, r.Verified, r.Source.Citation,
        r.HazardRatio is { } hr ? new HazardRatioDocument(hr.Value, hr.Lower, hr.Upper) : null);

    internal static RegimenDocument Regimen(Regimen regimen, AgentSet agents, KnowledgeBase kb)
    {
        // Codes follow the order of the agent names: a standard regimen's components, otherwise knowledge-base order.
        var ordered = regimen.Kind == RegimenKind.Standard
            ? regimen.Components.Where(c => c.Agent is not null).Select(c => c.Agent!)
            : agents.Indices().Select(i => kb.Agents[i]);
        var codes = new List<CodeDocument>();
        foreach (var agent in ordered)
        {
            if (agent.RxNorm is { } code)
            {
                codes.Add(new CodeDocument(agent.Name, "RxNorm", code.Code, code.Confidence.Id()));
            }
        }

        return new RegimenDocument(
            regimen.Id,
            DecisionText.RegimenName(regimen, agents, kb),
            DecisionText.AgentNames(regimen, agents, kb),
            codes);
    }

    internal static VerdictDocument Verdict(RegimenVerdict verdict, Decision decision) => new(
        Regimen(verdict.Regimen, verdict.Agents, decision.Knowledge),
        verdict.Reasons.Select(r => new ReasonDocument(
            DecisionText.ReasonCodeId(r), DecisionText.Reason(r, decision), DecisionText.ReasonRef(r), DecisionText.ReasonSource(r))).ToArray());

    private static ClinicalResistanceDocument Resistance(ResistanceAssessment assessment, PatientFacts facts) => new(
        assessment.Met == Tri.True,
        DecisionText.Status(assessment.Met),
        assessment.Criteria.Select(c => new CriterionDocument(
            DecisionText.CriterionId(c.Id),
            DecisionText.CriterionText(c.Id),
            DecisionText.Status(c.Status),
            DecisionText.CriterionEvidence(c, facts))).ToArray(),
        DecisionText.ResistanceConsequence(assessment));

    private static TrialSuggestionDocument TrialSuggestion(TrialSuggestion suggestion)
    {
        var trial = suggestion.Trial;
        return new TrialSuggestionDocument(
            trial.Id, trial.Name, trial.Nct, trial.Setting, trial.StatusInSeeds,
            DecisionText.TrialReason(suggestion), DecisionText.TrialRef(suggestion), DecisionText.TrialSource(suggestion));
    }

    private static LineDocument Line(TherapyLine line, KnowledgeBase kb)
    {
        var source = line.Source;
        return new LineDocument(
            line.Number,
            line.GuidelineLine,
            kb.AgentNames(line.Agents).ToArray(),
            DecisionText.Date(line.Start),
            line.Stop is { } stop ? DecisionText.Date(stop) : null,
            line.IsOngoing,
            source.BestResponse is { } response ? PatientVocabulary.Response.Id(response) : null,
            source.StopReason is { } reason ? PatientVocabulary.StopReason.Id(reason) : null,
            line.EndedByProgression,
            line.ProgressionAtFirstAssessment switch
            {
                Tri.True => "yes",
                Tri.False => "no",
                _ => "unknown",
            },
            source.TaxaneStopped is { } taxaneStopped ? DecisionText.Date(taxaneStopped) : null,
            line.MatchedRegimen?.Id,
            line.IsAntiHer2,
            line.IsDualAntiHer2);
    }

    private static HistoryDocument History(PatientFacts facts, KnowledgeBase kb)
    {
        var patient = facts.Patient;
        var presentation = patient.Presentation;
        var early = patient.EarlyDisease?.Regimens ?? [];
        TrastuzumabWindowDocument? window = null;
        if (facts.HadEarlyTrastuzumab)
        {
            var months = kb.Thresholds.EarlyRelapseMonths;
            var completed = facts.EarlyTrastuzumabCompleted;
            window = new TrastuzumabWindowDocument(
                completed is { } c ? DecisionText.Date(c) : null,
                completed is { } end ? DecisionText.Date(end.AddMonths(months)) : null,
                months,
                TriId(facts.EarlyRelapse),
                facts.MonthsFromTrastuzumabToRelapse,
                kb.Parameter("early-relapse-months").Basis);
        }

        return new HistoryDocument(
            presentation.Type is { } type ? PatientVocabulary.PresentationType.Id(type) : null,
            presentation.InitialDiagnosis is { } initial ? DecisionText.Date(initial) : null,
            presentation.MetastaticDiagnosis is { } metastatic ? DecisionText.Date(metastatic) : null,
            early.Select(r => new EarlyRegimenDocument(
                PatientVocabulary.EarlySetting.Id(r.Setting),
                kb.AgentNames(r.Agents).ToArray(),
                r.Start is { } start ? DecisionText.Date(start) : null,
                r.Stop is { } stop ? DecisionText.Date(stop) : null,
                r.Agents.Overlaps(kb.TrastuzumabBased))).ToArray(),
            window);
    }

    private static ConditionDocument Condition(ConditionTrace trace) => new(
        trace.Text,
        TriId(trace.Value),
        trace.PatientValue,
        trace.Children.Select(Condition).ToArray());

    private static string TriId(Tri value) => value switch
    {
        Tri.True => "true",
        Tri.False => "false",
        _ => "unknown",
    };

    private static string StatusId(StatementStatus status) => status switch
    {
        StatementStatus.Fired => "fired",
        StatementStatus.Superseded => "superseded",
        StatementStatus.ConditionFalse => "condition-false",
        StatementStatus.ConditionUnknown => "condition-unknown",
        StatementStatus.OtherSetting => "other-setting",
        StatementStatus.NotEvaluated => "not-evaluated",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
