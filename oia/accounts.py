"""The signed-in user's own API tokens: list, make and revoke them.

Any signed-in user may hold tokens (the API then decides what their role may
read); each sees and revokes only their own. A new token's text is shown once,
on the answer to the form that made it, and stored nowhere."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from . import tokens
from .forms import Form


class TokenCreateForm(Form):
    """Making a token asks for the password again: a token outlives the session,
    so a browser left signed in must not be enough to take one away."""

    password = forms.CharField(
        label=gettext_lazy("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        if authenticate(self.request, username=user.get_username(), password=password) != user:
            raise forms.ValidationError(_("The password is not correct."), code="invalid_login")
        return password


class TokenListView(LoginRequiredMixin, TemplateView):
    """The user's tokens that still work; a POST makes a new one and shows it once."""

    template_name = "oia/tokens.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", TokenCreateForm(request=self.request))
        context["tokens"] = list(tokens.active_tokens(self.request.user))
        context["token_limit"] = settings.OIA_API_TOKENS_PER_USER
        context["token_hours"] = settings.OIA_API_TOKEN_HOURS
        return context

    def post(self, request, *args, **kwargs):
        form = TokenCreateForm(request.POST, request=request)
        new_key = None
        if form.is_valid():
            try:
                _token, new_key = tokens.issue_token(request.user, request=request, via="page")
            except tokens.TokenLimitReached:
                form.add_error(None, _("You hold the most API tokens allowed. Revoke one first."))
            else:
                form = TokenCreateForm(request=request)
        return self.render_to_response(self.get_context_data(form=form, new_key=new_key))


class TokenRevokeView(LoginRequiredMixin, View):
    """Revoke one of the user's own tokens; another user's token is not found (404)."""

    def post(self, request, token_key):
        if not tokens.revoke_tokens(request.user, reason="user", request=request, token_key=token_key):
            raise Http404
        messages.success(request, _("The token is revoked."))
        return redirect("tokens")


class TokenRevokeAllView(LoginRequiredMixin, View):
    """Revoke every token of the user."""

    def post(self, request):
        revoked = tokens.revoke_tokens(request.user, reason="user", request=request)
        if revoked:
            messages.success(request, _("All your tokens are revoked."))
        return redirect("tokens")
