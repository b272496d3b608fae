"""The accountability questionnaire (docs/decisions/0028-impuls-accountability-projection-reminders.md): one field
per question of the round, and the news item for the initiative's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .accountability import ANSWER_MAX, NEWS_TITLE_MAX


class AccountabilityForm(forms.Form):
    news_title = forms.CharField(
        label=_("Titel van het nieuwsbericht"),
        max_length=NEWS_TITLE_MAX,
        error_messages={"required": _("Geef het nieuwsbericht een titel.")},
        help_text=_("Het nieuwsbericht komt op de openbare pagina van het initiatief."),
    )
    news_text = forms.CharField(
        label=_("Tekst van het nieuwsbericht"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Schrijf de tekst van het nieuwsbericht.")},
        help_text=_("Vertel wat de Impuls heeft opgeleverd: wat u ermee deed en wat het uw initiatief bracht."),
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answers = {}
        for i, question in enumerate(self.questions):
            answers[f"answer_{i}"] = forms.CharField(
                label=question["label"],
                required=question["required"],
                max_length=ANSWER_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": _("Beantwoord deze vraag.")},
            )
        # The questions first, the news item after them
        self.fields = {**answers, **self.fields}

    def answers(self) -> dict[str, str]:
        return {q["label"]: self.cleaned_data.get(f"answer_{i}", "") for i, q in enumerate(self.questions)}


class YearForm(forms.Form):
    jaar = forms.IntegerField(label=_("Jaar"), required=False, min_value=2000, max_value=2100)
