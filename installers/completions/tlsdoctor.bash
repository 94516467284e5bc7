# bash completion for tlsdoctor (installed to /usr/share/bash-completion/completions/tlsdoctor).
_tlsdoctor() {
  local cur prev
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    -f|--format) COMPREPLY=($(compgen -W "text json html jamf intune jsonl" -- "$cur")); return ;;
    --only) COMPREPLY=($(compgen -W "$(tlsdoctor list-checks 2>/dev/null | cut -d' ' -f1)" -- "$cur")); return ;;
    -o|--output|--ca-file|--policy|--reference-file|--reference-key) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --timeout|--resolve|--reference|--proxy|--time-source|--captive-url|--sni) return ;;
  esac
  local words="check probe snapshot compare list-checks -f --format -o --output --only --timeout -v --verbose -q --quiet
    --no-color --no-redact --version --resolve --reference --reference-key --reference-file --proxy --no-proxy
    --offline --time-source --captive-url --ca-file --policy --no-policy --help"
  case " ${COMP_WORDS[*]} " in
    *" compare "*) COMPREPLY=($(compgen -f -X '!*.json' -- "$cur")); return ;;
    *" probe "*) words="--all-versions --sni --no-sni --ca-file --proxy --no-proxy --resolve -f --timeout --help" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _tlsdoctor tlsdoctor
