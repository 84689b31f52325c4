# bash completion for citeconv. Formats, settings and check codes come from
# the installed binary, so the lists are always those it has.
_citeconv()
{
  local cur prev words cword
  if declare -F _init_completion >/dev/null 2>&1; then
    _init_completion -s || return
  else
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
  fi
  local bin=${COMP_WORDS[0]}

  case $prev in
    -f|--from)
      COMPREPLY=($(compgen -W "$("$bin" --list-formats 2>/dev/null | awk '$2 ~ /^r/ {print $1}')" -- "$cur"))
      return ;;
    -t|--to)
      COMPREPLY=($(compgen -W "$("$bin" --list-formats 2>/dev/null | awk '$2 ~ /w$/ {print $1}')" -- "$cur"))
      return ;;
    --set)
      COMPREPLY=($(compgen -S = -W "$("$bin" --list-options 2>/dev/null | awk '{print $1}')" -- "$cur"))
      compopt -o nospace 2>/dev/null
      return ;;
    --disable|--enable)
      COMPREPLY=($(compgen -W "$("$bin" --list-codes 2>/dev/null | awk '{print $1}')" -- "$cur"))
      return ;;
    --diagnostics)
      COMPREPLY=($(compgen -W "text json sarif" -- "$cur"))
      return ;;
    -o|--output|-O|--output-dir)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
  esac
  case $cur in
    -*)
      COMPREPLY=($(compgen -W "$("$bin" --help 2>/dev/null | grep -oE -- '--?[A-Za-z][A-Za-z-]*' | sort -u)" -- "$cur"))
      return ;;
  esac
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _citeconv citeconv
