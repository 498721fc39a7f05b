using System.Globalization;
using System.Text;
using Herald.Contracts.Output;
using Herald.Core;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Fhir;

namespace Herald.Server.CdsHooks;

/// <summary>
/// The patient-view answer: Herald's decision as CDS Hooks cards, rendered from the typed decision as the CLI's
/// renderers are (wording from <see cref="DecisionText"/>, arrangement from <see cref="DecisionView"/>). Alerts come
/// first, most severe first: no option to propose, a card per critical or warning alert (the decision lists them by
/// severity), blocking missing data; then the decision point, whose detail opens with the information alerts (the
/// notice on dated sources among them); then one card per ranked regimen in rank order, its trials split into the
/// regimen's own and those a statement only cites; then missing data that does not block and how the FHIR record was
/// read. Excluded regimens never get a card or a suggestion: the decision-point card lists them with the reason.
/// </summary>
public static class PatientViewCards
{
    public const string TopicSystem = "https://herald.example.org/cds-card-topic";

    public static CdsResponse BuildResponse(Decision decision, CardContext context) =>
        new() { Cards = Build(decision, context) };

    public static IReadOnlyList<Card> Build(Decision decision, CardContext context)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(context);

        var cards = new List<Card>();
        var noOptions = decision.Recommendations.Count == 0;
        if (noOptions)
        {
            cards.Add(NoOptionsCard(decision, context));
        }

        // The decision lists alerts most severe first; the engine's "nothing to propose" alerts are folded into the no-options card.
        for (var index = 0; index < decision.Alerts.Count; index++)
        {
            var alert = decision.Alerts[index];
            if (alert.Severity >= Severity.Warning && !(noOptions && alert.Engine.MeansNothingToPropose()))
            {
                cards.Add(AlertCard(alert, index, decision, context));
            }
        }

        var blocking = decision.MissingData.Any(m => m.Blocking);
        if (blocking)
        {
            cards.Add(MissingDataCard(decision, context));
        }

        cards.Add(DecisionPointCard(decision, context));
        for (var i = 0; i < decision.Recommendations.Count; i++)
        {
            cards.Add(RegimenCard(decision.Recommendations[i], i, decision, context));
        }

        if (!blocking && decision.MissingData.Count > 0)
        {
            cards.Add(MissingDataCard(decision, context));
        }

        if (context.Unmapped.Count > 0 || context.Notes.Count > 0)
        {
            cards.Add(MappingCard(decision, context));
        }

        return cards;
    }

    /// <summary>The key a card's uuid derives from, by kind; feedback and tests use the same keys.</summary>
    public static class Keys
    {
        public const string DecisionPoint = "decision-point";
        public const string NoOptions = "no-options";
        public const string MissingData = "missing-data";
        public const string Mapping = "fhir-mapping";

        public static string Regimen(int index, string regimenId) => $"regimen/{index}/{regimenId}";

        public static string Proposal(int index, string regimenId) => $"regimen/{index}/{regimenId}/propose";

        public static string Alert(int index, string code) => $"alert/{index}/{code}";
    }

    /// <summary>CDS Hooks indicator of a severity.</summary>
    public static string Indicator(Severity severity) => severity switch
    {
        Severity.Critical => CardIndicator.Critical,
        Severity.Warning => CardIndicator.Warning,
        _ => CardIndicator.Info,
    };

    internal static CardSource Source(Decision decision, CardContext context, string topic, string topicDisplay) => new()
    {
        Label = $"Herald — {decision.Edition.Name}",
        Url = context.SourceUrl,
        Topic = new Coding { System = TopicSystem, Code = topic, Display = topicDisplay },
    };

    private static Card DecisionPointCard(Decision decision, CardContext context)
    {
        var kb = decision.Knowledge;
        var point = decision.Point;
        var line = point.Line is { } l ? $" (line {l})" : "";
        var resistance = decision.Resistance;
        var summary = $"{point.Kind.Label()}{line}: {Count(decision.Recommendations.Count, "option")} ranked, {decision.Excluded.Count} excluded; "
                      + $"clinical resistance {DecisionView.CriterionStatus(resistance.Met)}";

        var md = MarkdownBuffer.Rent();

        // Information alerts (warnings and critical ones have cards of their own, before this one) come first too.
        var notes = decision.Alerts.Where(a => a.Severity == Severity.Info).ToArray();
        if (notes.Length > 0)
        {
            md.Append("### Notes\n\n");
            foreach (var note in notes)
            {
                md.Append("- ").Append(CardText.Escape(DecisionText.Alert(note, decision.Facts)))
                  .Append(" (").Append(CardText.Escape(DecisionText.AlertSource(note))).Append(")\n");
            }

            md.Append('\n');
        }

        md.Append("### Decision point: ").Append(CardText.Escape(point.Kind.Label())).Append(line).Append("\n\n");
        foreach (var sentence in context.Reading.Rationale(decision))
        {
            md.Append("- ").Append(CardText.Escape(sentence)).Append('\n');
        }

        md.Append("\n### Clinical resistance to anti-HER2 therapy: ").Append(DecisionView.CriterionStatus(resistance.Met)).Append("\n\n");
        foreach (var criterion in resistance.Criteria)
        {
            md.Append("- ").Append(CardText.Escape(DecisionText.CriterionText(criterion.Id))).Append(": **").Append(DecisionView.CriterionStatus(criterion.Status))
              .Append("** — ").Append(CardText.Escape(DecisionText.CriterionEvidence(criterion, decision.Facts))).Append('\n');
        }

        md.Append('\n').Append(CardText.Escape(DecisionText.ResistanceConsequence(resistance))).Append('\n');

        md.Append("\n### Metastatic lines as Herald read them\n\n");
        if (decision.Facts.Lines.Count == 0)
        {
            md.Append("No metastatic line of therapy is recorded.\n");
        }
        else
        {
            md.Append("| Line | Guideline line | Agents | Dates | Outcome |\n");
            md.Append("|---|---|---|---|---|\n");
            foreach (var therapyLine in decision.Facts.Lines)
            {
                var derived = context.DerivedLines.FirstOrDefault(d => d.Number == therapyLine.Number);
                var outcome = DecisionView.LineOutcome(therapyLine)
                              + (derived?.ProgressionInferredFrom is { } how ? $" (progression inferred from {how})" : "");
                md.Append("| ").Append(therapyLine.Number.ToString(CultureInfo.InvariantCulture))
                  .Append(" | ").Append(therapyLine.GuidelineLine.ToString(CultureInfo.InvariantCulture))
                  .Append(" | ").Append(CardText.Escape(DecisionView.LineAgents(therapyLine, kb)))
                  .Append(" | ").Append(DecisionView.LineDates(therapyLine))
                  .Append(" | ").Append(CardText.Escape(outcome))
                  .Append(" |\n");
            }

            md.Append("\nIf a line is wrong, correct the medication record: the lines drive the decision point.\n");
        }

        AppendExcluded(md, decision, "\n### Excluded for this patient\n\n");

        if (decision.Trials.Count > 0)
        {
            md.Append("\n### Trials the sources name here\n\n");
            foreach (var suggestion in decision.Trials)
            {
                var trial = suggestion.Trial;
                md.Append("- **").Append(CardText.Escape(DecisionView.TrialHeading(trial))).Append("**")
                  .Append(" — ").Append(CardText.Escape(DecisionText.TrialReason(suggestion)))
                  .Append(". Status: ").Append(CardText.Escape(DecisionView.TrialStatus(trial)))
                  .Append(" (").Append(CardText.Escape(DecisionText.TrialSource(suggestion))).Append(")\n");
            }
        }

        md.Append("\nKnowledge base ").Append(kb.Version).Append(", edition ").Append(decision.Edition.Id)
          .Append(", as of ").Append(DecisionText.Date(decision.AsOf)).Append(".\n");

        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, Keys.DecisionPoint),
            Summary = CardText.Summary(summary),
            Detail = MarkdownBuffer.ToStringAndReturn(md),
            Indicator = CardIndicator.Info,
            Source = Source(decision, context, "decision-point", "Decision point"),
        };
    }

    private static Card RegimenCard(RankedOption option, int index, Decision decision, CardContext context)
    {
        var kb = decision.Knowledge;
        var facts = decision.Facts;
        var regimen = option.Regimen;
        var name = DecisionView.RegimenName(option, kb);
        var summary = $"Rank {option.Rank}{(option.Tied ? " (tied)" : "")}: {DecisionView.Agents(option, kb)} — "
                      + $"{option.Preference.Id()}, {DecisionView.StrengthWords(option.Strength)} ({option.RankedBy.Edition.Name})"
                      + (option.WeighedAgainst ? "; a caution weighs against it" : "");

        var agents = MedicationProposals.Agents(option, kb);
        var md = MarkdownBuffer.Rent();
        md.Append("### ").Append(CardText.Escape(name)).Append("\n\n");
        md.Append("Rank ").Append(option.Rank.ToString(CultureInfo.InvariantCulture));
        if (option.Tied)
        {
            var others = decision.Recommendations.Where(r => r.Rank == option.Rank && r != option).Select(r => DecisionView.RegimenName(r, kb));
            md.Append(" (tied with ").Append(CardText.Escape(string.Join("; ", others))).Append(": the sources do not order them)");
        }

        md.Append(" at ").Append(CardText.Escape(decision.Point.Kind.Label().ToLowerInvariant()))
          .Append(decision.Point.Line is { } line ? $" (line {line})" : "").Append(".\n\n");
        md.Append("**Preference:** ").Append(option.Preference.Id())
          .Append(" · **Strength:** ").Append(CardText.Escape(option.Strength.Label()))
          .Append(" · **Ranked by:** `").Append(option.RankedBy.Id).Append("`\n");

        md.Append("\n#### What the sources say\n");
        foreach (var support in option.Statements)
        {
            md.Append(KnowledgeCardText.Statement(support.Statement));
            if (support.Action.Note is { } note)
            {
                md.Append("*Note:* ").Append(CardText.Escape(DecisionText.Fill(note, facts, option.Agents))).Append('\n');
            }
        }

        AppendEvidence(md, option);

        if (option.Cautions.Count > 0)
        {
            md.Append("\n#### Cautions\n\n");
            foreach (var caution in option.Cautions)
            {
                md.Append("- ").Append(caution.WeighsAgainst ? "**Weighs against this option:** " : "")
                  .Append(CardText.Escape(DecisionText.Note(caution, facts))).Append(" (").Append(CardText.Escape(DecisionText.NoteSource(caution))).Append(")\n");
            }
        }

        if (option.Monitoring.Count > 0)
        {
            md.Append("\n#### Monitoring\n\n");
            foreach (var monitoring in option.Monitoring)
            {
                md.Append("- ").Append(CardText.Escape(DecisionText.Note(monitoring, facts))).Append(" (").Append(CardText.Escape(DecisionText.NoteSource(monitoring))).Append(")\n");
            }
        }

        md.Append("\n#### Proposed orders\n\n");
        foreach (var agent in agents)
        {
            md.Append("- ").Append(CardText.Escape(agent.Agent)).Append(" — ");
            if (agent.IsGroup)
            {
                md.Append("the prescriber chooses the agent; not proposed as an order.\n");
            }
            else if (agent.RxNormCode is { } code)
            {
                md.Append("RxNorm ").Append(code).Append(agent.CodeConfidence is { } confidence ? $" (code confidence {confidence})" : "").Append(".\n");
            }
            else
            {
                md.Append("no checked RxNorm code: proposed by name only.\n");
            }
        }

        md.Append("\nDrafts with intent *proposal* and no dose: the prescriber sets dose and schedule.\n");

        var actions = agents.Where(a => !a.IsGroup).Select(agent => new CdsAction
        {
            Type = CdsActionType.Create,
            Description = agent.RxNormCode is { } code
                ? $"Draft a proposal for {agent.Agent} (RxNorm {code})."
                : $"Draft a proposal for {agent.Agent} (by name; no checked RxNorm code).",
            Resource = MedicationProposals.MedicationRequest(agent, "Patient/" + context.PatientId),
        }).ToArray();

        var suggestions = actions.Length == 0
            ? null
            : new[]
            {
                new Suggestion
                {
                    Label = CardText.Summary($"Propose {name}"),
                    Uuid = CardIds.For(context.HookInstance, Keys.Proposal(index, regimen.Id)),
                    Actions = actions,
                },
            };

        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, Keys.Regimen(index, regimen.Id)),
            Summary = CardText.Summary(summary),
            Detail = MarkdownBuffer.ToStringAndReturn(md),
            Indicator = CardIndicator.Info,
            Source = Source(decision, context, "treatment-option", "Treatment option"),
            Suggestions = suggestions,
            SelectionBehavior = suggestions is null ? null : "at-most-one",
        };
    }

    // Only the trials of the regimen itself are its evidence; a trial a supporting statement only cites is named as that.
    private static void AppendEvidence(StringBuilder md, RankedOption option)
    {
        var evidence = option.Evidence();
        var own = evidence.Where(e => e.OfThisRegimen).Select(e => e.Trial).ToList();
        if (own.Count > 0)
        {
            md.Append(own.Count == 1 ? "\n#### Trial of this regimen\n\n" : "\n#### Trials of this regimen\n\n");
        }

        foreach (var trial in own)
        {
            md.Append(KnowledgeCardText.Trial(trial));
        }

        if (DecisionView.CitedOnly(evidence) is { } cited)
        {
            md.Append('\n').Append(CardText.Escape(cited)).Append('\n');
        }
    }

    private static Card AlertCard(DecisionAlert alert, int index, Decision decision, CardContext context)
    {
        var text = DecisionText.Alert(alert, decision.Facts);
        var code = DecisionText.AlertCode(alert);
        var summary = alert is { Engine: EngineAlert.DatedSources, Edition: { } edition }
            ? DecisionText.DatedSourcesSummary(edition, decision.AsOf, alert.Severity)
            : text;
        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, Keys.Alert(index, code)),
            Summary = CardText.Summary(summary),
            Detail = $"{CardText.Escape(text)}\n\nSource: {CardText.Escape(DecisionText.AlertSource(alert))} (`{code}`).\n",
            Indicator = Indicator(alert.Severity),
            Source = Source(decision, context, "safety", "Safety finding"),
        };
    }

    private static Card NoOptionsCard(Decision decision, CardContext context)
    {
        var engineAlerts = decision.Alerts.Where(a => a.Engine.MeansNothingToPropose()).ToArray();
        var summary = engineAlerts.Length > 0
            ? $"No regimen to propose: {FirstSentence(DecisionText.Alert(engineAlerts[0], decision.Facts))}"
            : decision.Excluded.Count > 0
                ? "No regimen to propose: every option the sources support here is excluded for this patient"
                : "No regimen to propose: no statement of the sources applies to this patient here";

        var md = MarkdownBuffer.Rent();
        md.Append("Herald ranks no regimen for this patient at ").Append(CardText.Escape(decision.Point.Kind.Label().ToLowerInvariant())).Append(".\n\n");
        foreach (var alert in engineAlerts)
        {
            md.Append("- ").Append(CardText.Escape(DecisionText.Alert(alert, decision.Facts))).Append(" (").Append(CardText.Escape(DecisionText.AlertSource(alert))).Append(")\n");
        }

        AppendExcluded(md, decision, "\n#### Excluded for this patient\n\n");

        if (decision.MissingData.Any(m => m.Blocking))
        {
            md.Append("\nSupply the missing data (see the missing-data card) and ask again.\n");
        }

        var indicator = engineAlerts.Any(a => a.Severity == Severity.Critical) ? CardIndicator.Critical : CardIndicator.Warning;
        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, Keys.NoOptions),
            Summary = CardText.Summary(summary),
            Detail = MarkdownBuffer.ToStringAndReturn(md),
            Indicator = indicator,
            Source = Source(decision, context, "no-options", "No option to propose"),
        };
    }

    private static void AppendExcluded(StringBuilder md, Decision decision, string heading)
    {
        if (decision.Excluded.Count == 0)
        {
            return;
        }

        md.Append(heading);
        foreach (var verdict in decision.Excluded)
        {
            md.Append("- **").Append(CardText.Escape(DecisionView.RegimenName(verdict, decision.Knowledge))).Append("** — ")
              .Append(CardText.Escape(string.Join(" ", verdict.Reasons.Select(r => DecisionText.Reason(r, decision)))))
              .Append(" (").Append(CardText.Escape(string.Join("; ", verdict.Reasons.Select(DecisionText.ReasonSource).Distinct()))).Append(")\n");
        }
    }

    private static Card MissingDataCard(Decision decision, CardContext context)
    {
        var blocking = decision.MissingData.Where(m => m.Blocking).ToArray();
        var helpful = decision.MissingData.Where(m => !m.Blocking).ToArray();
        var summary = blocking.Length > 0
            ? $"Data needed before Herald can rank options: {string.Join(", ", blocking.Select(m => m.Field))}"
            : $"Data that would sharpen the advice: {string.Join(", ", helpful.Select(m => m.Field))}";

        var md = MarkdownBuffer.Rent();
        if (blocking.Length > 0)
        {
            md.Append("#### Needed now: no regimen is ranked until these are recorded\n\n");
            foreach (var item in blocking)
            {
                md.Append("- **").Append(item.Field).Append("** — ").Append(CardText.Escape(context.Reading.Request(item))).Append('\n');
            }
        }

        if (helpful.Length > 0)
        {
            md.Append(blocking.Length > 0 ? "\n" : "").Append("#### Would help: the ranking stands, but these bear on the choice\n\n");
            foreach (var item in helpful)
            {
                md.Append("- **").Append(item.Field).Append("** — ").Append(CardText.Escape(context.Reading.Request(item))).Append('\n');
            }
        }

        md.Append("\nRecord them in the EHR (the field names are Herald's input fields) and open the patient again.\n");
        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, Keys.MissingData),
            Summary = CardText.Summary(summary),
            Detail = MarkdownBuffer.ToStringAndReturn(md),
            Indicator = blocking.Length > 0 ? CardIndicator.Warning : CardIndicator.Info,
            Source = Source(decision, context, "missing-data", "Missing data"),
        };
    }

    private static Card MappingCard(Decision decision, CardContext context)
    {
        var summary = context.Unmapped.Count > 0
            ? $"{Count(context.Unmapped.Count, "FHIR code")} Herald could not map — check them: Herald did not use them"
            : $"How Herald read the FHIR record: {Count(context.Notes.Count, "reading")} to check";

        var md = MarkdownBuffer.Rent();
        if (context.Unmapped.Count > 0)
        {
            md.Append("#### Codes Herald could not map\n\n");
            md.Append("These name concepts Herald reads, but Herald does not know the code, so the decision does not use them.\n\n");
            AppendUnmappedTable(md, context.Unmapped);
        }

        if (context.Notes.Count > 0)
        {
            md.Append(context.Unmapped.Count > 0 ? "\n" : "").Append("#### How values were read\n\n");
            foreach (var note in context.Notes)
            {
                md.Append("- ").Append(note.Inference ? "**Inferred** " : "").Append("**").Append(CardText.Escape(note.Field)).Append("** — ").Append(CardText.Escape(note.Text))
                  .Append(note.Source is { } source ? $" ({CardText.Escape(source)})" : "").Append('\n');
            }
        }

        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, Keys.Mapping),
            Summary = CardText.Summary(summary),
            Detail = MarkdownBuffer.ToStringAndReturn(md),
            Indicator = CardIndicator.Info,
            Source = Source(decision, context, "fhir-mapping", "FHIR mapping"),
        };
    }

    /// <summary>The codes Herald could not map, as a Markdown table (also used by the server's own cards).</summary>
    internal static void AppendUnmappedTable(StringBuilder md, IReadOnlyList<UnmappedCode> codes)
    {
        md.Append("| Resource | Element | Concept | System | Code | Display |\n|---|---|---|---|---|---|\n");
        foreach (var code in codes)
        {
            md.Append("| ").Append(CardText.Escape(code.Resource))
              .Append(" | ").Append(CardText.Escape(code.Element))
              .Append(" | ").Append(CardText.Escape(code.Concept))
              .Append(" | ").Append(CardText.Escape(code.System ?? ""))
              .Append(" | ").Append(CardText.Escape(code.Code ?? ""))
              .Append(" | ").Append(CardText.Escape(code.Display ?? ""))
              .Append(" |\n");
        }
    }

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? text[..(end + 1)] : text;
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n.ToString(CultureInfo.InvariantCulture)} {noun}s";
}
