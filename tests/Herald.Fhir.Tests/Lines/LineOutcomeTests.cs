using Herald.Fhir.Lines;
using static Herald.Fhir.Tests.Lines.LineBuilders;

namespace Herald.Fhir.Tests.Lines;

/// <summary>How a line ends and what the disease did on it: ongoing, stop reason, best response, first assessment, maintenance.</summary>
public class LineOutcomeTests
{
    private static readonly DateOnly First = D("2019-01-10");

    // ---- ongoing ----

    [Fact]
    public void A_line_with_an_active_record_is_ongoing()
    {
        var result = Derive([Use("MedicationRequest/tdm1", "trastuzumab-emtansine", D("2024-01-02"), status: MedicationUseStatus.Active)]);

        var line = Assert.Single(result.Lines);
        Assert.Null(line.Stop);
        Assert.Null(line.StopReason);
        Assert.Contains("MedicationRequest/tdm1", line.Rule(LineRules.Ongoing));
    }

    [Fact]
    public void The_last_line_is_ongoing_when_its_latest_record_is_within_42_days_of_the_assessment_date()
    {
        var cycles = Cycles("trastuzumab-deruxtecan", D("2023-06-01"), 10);
        var last = cycles[^1].Start;

        var within = Assert.Single(DeriveAsOf(last.AddDays(42), cycles).Lines);
        var beyond = Assert.Single(DeriveAsOf(last.AddDays(43), cycles).Lines);

        Assert.Null(within.Stop);
        Assert.Contains("42 days before the assessment date", within.Rule(LineRules.Ongoing));
        Assert.Equal(S(last), beyond.Stop);
        Assert.Equal("other", beyond.StopReason);
    }

    [Fact]
    public void A_recent_last_record_with_a_stop_reason_ends_the_line()
    {
        var cycles = Cycles("trastuzumab-deruxtecan", D("2023-06-01"), 10, lastStopReason: "toxicity");

        var line = Assert.Single(DeriveAsOf(cycles[^1].Start.AddDays(10), cycles).Lines);

        Assert.Equal(S(cycles[^1].Start), line.Stop);
        Assert.Equal("toxicity", line.StopReason);
    }

    [Fact]
    public void Only_the_last_line_is_ongoing_and_an_earlier_active_record_stops_at_the_next_line()
    {
        var uses = new[]
        {
            Use("MedicationRequest/tdm1", "trastuzumab-emtansine", First, status: MedicationUseStatus.Active),
            Use("MedicationRequest/tdxd", "trastuzumab-deruxtecan", D("2020-01-01"), status: MedicationUseStatus.Active),
        };

        var result = Derive(uses);

        Assert.Equal(2, result.Lines.Count);
        Assert.Equal("2020-01-01", result.Lines[0].Stop);
        Assert.NotNull(result.Lines[0].StopReason);
        Assert.True(result.Lines[0].HasRule(LineRules.StopAtNextLine));
        Assert.Contains(result.Notes, n => n.Field == "metastaticRegimens[0].stop" && n.Source == "MedicationRequest/tdm1");
        Assert.Null(result.Lines[1].Stop);
        Assert.Single(result.Lines, l => l.Stop is null);
    }

    // ---- stop reason ----

    [Fact]
    public void Progression_recorded_on_any_record_of_the_line_is_its_stop_reason()
    {
        var uses = new[]
        {
            Use("MedicationStatement/t", "trastuzumab", First, D("2019-09-01"), MedicationUseStatus.Stopped, stopReason: "progression"),
            Use("MedicationStatement/p", "pertuzumab", First, D("2019-09-02"), MedicationUseStatus.Stopped, stopReason: "toxicity"),
        };

        var line = Assert.Single(Derive(uses).Lines);

        Assert.Equal("progression", line.StopReason);
        Assert.Contains("MedicationStatement/t", line.Rule(LineRules.StopReason));
    }

    [Fact]
    public void The_recorded_reason_of_the_drug_stopped_last_is_the_stop_reason()
    {
        var uses = new[]
        {
            Use("MedicationStatement/t", "trastuzumab", First, D("2019-09-01"), MedicationUseStatus.Stopped, stopReason: "patient-decision"),
            Use("MedicationStatement/p", "pertuzumab", First, D("2019-09-10"), MedicationUseStatus.Stopped, stopReason: "toxicity"),
        };

        Assert.Equal("toxicity", Assert.Single(Derive(uses).Lines).StopReason);
    }

    [Fact]
    public void A_progressing_disease_status_before_the_next_line_makes_progression_the_stop_reason()
    {
        var uses = Cycles("trastuzumab-emtansine", First, 8).Concat(Cycles("tucatinib", D("2019-08-01"), 3));

        var result = Derive(uses, Status("ds-1", D("2019-04-01"), DiseaseStatus.Stable), Status("ds-2", D("2019-07-20"), DiseaseStatus.Progressing));

        var line = result.Lines[0];
        Assert.Equal("progression", line.StopReason);
        Assert.Contains("Observation/ds-2", line.Rule(LineRules.StopReason));
        Assert.Contains("Observation/ds-2", line.Sources);
    }

    [Fact]
    public void A_progressing_status_long_after_the_last_line_stopped_is_not_its_stop_reason()
    {
        var cycles = Cycles("trastuzumab-emtansine", First, 8);
        var stop = cycles[^1].Start;

        var result = Derive(cycles, Status("ds-late", stop.AddDays(29), DiseaseStatus.Progressing));
        var inWindow = Derive(cycles, Status("ds-soon", stop.AddDays(28), DiseaseStatus.Progressing));

        Assert.Equal("other", Assert.Single(result.Lines).StopReason);
        Assert.Equal("progression", Assert.Single(inWindow.Lines).StopReason);
    }

    [Fact]
    public void An_unrecorded_stop_reason_is_other_with_a_note()
    {
        var uses = Cycles("trastuzumab-emtansine", First, 8).Concat(Cycles("tucatinib", D("2019-08-01"), 3));

        var result = Derive(uses);

        Assert.Equal("other", result.Lines[0].StopReason);
        Assert.Contains(result.Notes, n => n.Field == "metastaticRegimens[0].stopReason" && n.Text.Contains("do not say why line 1 stopped"));
    }

    [Fact]
    public void A_stop_reason_that_is_not_a_native_value_is_ignored_with_a_note()
    {
        var result = Derive([Use("MedicationStatement/t", "trastuzumab", First, D("2019-06-01"), MedicationUseStatus.Stopped, stopReason: "insurance")]);

        Assert.Equal("other", Assert.Single(result.Lines).StopReason);
        Assert.Contains(result.Notes, n => n.Text.Contains("'insurance'"));
    }

    // ---- best response ----

    [Theory]
    [InlineData(DiseaseStatus.NotDetected, "complete-response")]
    [InlineData(DiseaseStatus.Responding, "partial-response")]
    [InlineData(DiseaseStatus.Stable, "stable-disease")]
    [InlineData(DiseaseStatus.Progressing, "progressive-disease")]
    public void Best_response_maps_the_disease_status_trend(DiseaseStatus status, string expected)
    {
        var line = Assert.Single(Derive(Cycles("trastuzumab", First, 10), Status("ds-1", First.AddDays(60), status)).Lines);

        Assert.Equal(expected, line.BestResponse);
    }

    [Fact]
    public void Best_response_is_the_best_status_during_the_line_and_the_mapping_is_noted_once()
    {
        var uses = Cycles("trastuzumab-emtansine", First, 8).Concat(Cycles("tucatinib", D("2019-08-01"), 8));
        var statuses = new[]
        {
            Status("ds-1", D("2019-03-01"), DiseaseStatus.Stable),
            Status("ds-2", D("2019-05-01"), DiseaseStatus.Responding),
            Status("ds-3", D("2019-07-25"), DiseaseStatus.Progressing),
            Status("ds-4", D("2019-10-01"), DiseaseStatus.Stable),
            Status("ds-5", D("2019-11-01"), DiseaseStatus.Unknown),
        };

        var result = Derive(uses, statuses);

        Assert.Equal("partial-response", result.Lines[0].BestResponse);
        Assert.Contains("Observation/ds-2", result.Lines[0].Rule(LineRules.BestResponse));
        Assert.Equal("stable-disease", result.Lines[1].BestResponse);
        Assert.Single(result.Notes, n => n.Field.EndsWith(".bestResponse", StringComparison.Ordinal));
    }

    [Fact]
    public void No_disease_status_during_the_line_leaves_best_response_unset()
    {
        // The only observation is on the line's start date: the baseline, not an assessment of this line.
        var line = Assert.Single(Derive(Cycles("trastuzumab", First, 10), Status("ds-0", First, DiseaseStatus.Progressing)).Lines);

        Assert.Null(line.BestResponse);
        Assert.Null(line.ProgressionAtFirstAssessment);
    }

    // ---- progression at the first assessment ----

    [Fact]
    public void Progression_at_the_first_disease_status_observation_is_progression_at_first_assessment()
    {
        var uses = Cycles("trastuzumab-emtansine", First, 4).Concat(Cycles("tucatinib", D("2019-05-01"), 3));

        var line = Derive(uses, Status("ds-3", D("2019-03-15"), DiseaseStatus.Progressing)).Lines[0];

        Assert.True(line.ProgressionAtFirstAssessment);
        Assert.Equal("first disease-status observation 2019-03-15 (Observation/ds-3): progressing", line.ProgressionInferredFrom);
        Assert.Equal("progression", line.StopReason);
    }

    [Fact]
    public void A_first_observation_without_progression_means_no_progression_at_first_assessment()
    {
        var uses = Cycles("trastuzumab-emtansine", First, 10).Concat(Cycles("tucatinib", D("2019-09-01"), 3));

        var line = Derive(uses, Status("ds-1", D("2019-03-15"), DiseaseStatus.Stable), Status("ds-2", D("2019-08-20"), DiseaseStatus.Progressing)).Lines[0];

        Assert.False(line.ProgressionAtFirstAssessment);
        Assert.Equal("progression", line.StopReason);
        Assert.Contains("Observation/ds-1", line.ProgressionInferredFrom);
    }

    [Theory]
    [InlineData(63, true)]
    [InlineData(84, true)]
    [InlineData(85, null)]
    public void Without_observations_progression_ending_the_line_within_12_weeks_is_inferred(int days, bool? expected)
    {
        var uses = new[]
        {
            Use("MedicationAdministration/1", "trastuzumab-emtansine", First),
            Use("MedicationAdministration/2", "trastuzumab-emtansine", First.AddDays(days), stopReason: "progression"),
        };

        var line = Assert.Single(Derive(uses).Lines);

        Assert.Equal(expected, line.ProgressionAtFirstAssessment);
        Assert.StartsWith($"no disease-status observation; progression ended the line {days / 7} weeks", line.ProgressionInferredFrom);
    }

    [Fact]
    public void Without_observations_or_progression_nothing_is_inferred()
    {
        var line = Assert.Single(Derive([Use("MedicationAdministration/1", "trastuzumab", First, stopReason: "completed")]).Lines);

        Assert.Null(line.ProgressionAtFirstAssessment);
        Assert.Null(line.ProgressionInferredFrom);
    }

    [Fact]
    public void Progression_at_first_assessment_is_left_unset_when_the_recorded_stop_reason_is_not_progression()
    {
        var uses = new[] { Use("MedicationStatement/t", "trastuzumab-emtansine", First, D("2019-05-01"), MedicationUseStatus.Stopped, stopReason: "toxicity") };

        var result = Derive(uses, Status("ds-1", D("2019-03-01"), DiseaseStatus.Progressing));

        var line = Assert.Single(result.Lines);
        Assert.Equal("toxicity", line.StopReason);
        Assert.Null(line.ProgressionAtFirstAssessment);
        Assert.Contains(result.Notes, n => n.Field == "metastaticRegimens[0].progressionAtFirstAssessment");
    }

    [Fact]
    public void An_ongoing_line_keeps_progression_at_first_assessment_only_while_the_disease_is_progressing()
    {
        var active = new[] { Use("MedicationRequest/t", "trastuzumab-emtansine", D("2024-01-01"), status: MedicationUseStatus.Active) };

        var stillProgressing = Derive(active, Status("ds-1", D("2024-03-01"), DiseaseStatus.Progressing)).Lines[0];
        var thenStable = Derive(active, Status("ds-1", D("2024-03-01"), DiseaseStatus.Progressing), Status("ds-2", D("2024-05-01"), DiseaseStatus.Stable)).Lines[0];

        Assert.True(stillProgressing.ProgressionAtFirstAssessment);
        Assert.Null(thenStable.ProgressionAtFirstAssessment);
    }

    // ---- maintenance ----

    [Fact]
    public void A_taxane_stopped_while_the_antibodies_continue_is_maintenance_in_the_same_line()
    {
        var uses = Cycles("trastuzumab", First, 18, lastStopReason: "progression")
            .Concat(Cycles("pertuzumab", First, 18))
            .Concat(Cycles("docetaxel", First, 6, lastStopReason: "toxicity"));

        var line = Assert.Single(Derive(uses).Lines);

        Assert.Equal(S(First.AddDays(5 * 21)), line.TaxaneStopped);
        Assert.Equal(S(First.AddDays(17 * 21)), line.Stop);
        Assert.Equal("progression", line.StopReason);
        Assert.Contains($"taxane stopped {S(First.AddDays(5 * 21))}", line.Rule(LineRules.Maintenance));
    }

    [Fact]
    public void The_taxanes_own_stop_reason_is_not_the_stop_reason_of_the_line()
    {
        var uses = Cycles("trastuzumab", First, 18)
            .Concat(Cycles("pertuzumab", First, 18))
            .Concat(Cycles("docetaxel", First, 6, lastStopReason: "toxicity"));

        var line = Assert.Single(Derive(uses).Lines);

        Assert.NotNull(line.TaxaneStopped);
        Assert.Equal("other", line.StopReason);
    }

    [Fact]
    public void A_taxane_stopped_with_the_antibodies_is_not_maintenance()
    {
        var uses = Cycles("trastuzumab", First, 6).Concat(Cycles("pertuzumab", First, 6)).Concat(Cycles("docetaxel", First, 6));

        var line = Assert.Single(Derive(uses).Lines);

        Assert.Null(line.TaxaneStopped);
        Assert.False(line.HasRule(LineRules.Maintenance));
    }

    [Fact]
    public void Maintenance_on_an_ongoing_line()
    {
        var uses = new[]
        {
            Use("MedicationRequest/t", "trastuzumab", D("2023-09-01"), status: MedicationUseStatus.Active),
            Use("MedicationRequest/p", "pertuzumab", D("2023-09-01"), status: MedicationUseStatus.Active),
            Use("MedicationRequest/d", "docetaxel", D("2023-09-01"), D("2024-01-15"), MedicationUseStatus.Completed),
        };

        var line = Assert.Single(Derive(uses).Lines);

        Assert.Null(line.Stop);
        Assert.Equal("2024-01-15", line.TaxaneStopped);
    }
}
